import { DecodedMessage, firstMissing, objectOf, parseJson, textOf } from '../core/message-fields';

/** The buttons of `sampleActionCard2` … `sampleActionCard5`: `actionTitle1`/`actionURL1` … up to n. */
function verticalButtons(count: number): string[] {
  return Array.from({ length: count }, (_, i) => [`actionTitle${i + 1}`, `actionURL${i + 1}`]).flat();
}

/**
 * The `msgParam` keys each robot `msgKey` requires, in DingTalk's casing (docs/dingtalk/robot-messages.md):
 * `sampleActionCardN` (N = 2…5) has N vertical buttons, `sampleActionCard6` two side by side; there is no
 * `sampleActionCard1` (the one-button card is `sampleActionCard`).
 */
export const MSG_PARAM_KEYS: Readonly<Record<string, readonly string[]>> = {
  sampleText: ['content'],
  sampleMarkdown: ['title', 'text'],
  sampleImageMsg: ['photoURL'],
  sampleLink: ['text', 'title', 'picUrl', 'messageUrl'],
  sampleActionCard: ['title', 'text', 'singleTitle', 'singleURL'],
  sampleActionCard2: ['title', 'text', ...verticalButtons(2)],
  sampleActionCard3: ['title', 'text', ...verticalButtons(3)],
  sampleActionCard4: ['title', 'text', ...verticalButtons(4)],
  sampleActionCard5: ['title', 'text', ...verticalButtons(5)],
  sampleActionCard6: ['title', 'text', 'buttonTitle1', 'buttonUrl1', 'buttonTitle2', 'buttonUrl2'],
  sampleAudio: ['mediaId', 'duration'],
  sampleFile: ['mediaId', 'fileName', 'fileType'],
  sampleVideo: ['duration', 'videoMediaId', 'videoType', 'picMediaId'],
};

export type RobotMsgParamCheck =
  { ok: true; message: DecodedMessage } | { ok: false; code: string; message: string };

/** An action card's buttons as markdown links: `keys` lists each button's title key, then its URL key. */
function buttonLinks(param: Record<string, unknown>, keys: readonly string[]): string {
  const links: string[] = [];
  for (let i = 0; i + 1 < keys.length; i += 2) {
    links.push(`[${textOf(param[keys[i]])}](${textOf(param[keys[i + 1]])})`);
  }
  return links.join(' · ');
}

/**
 * A robot API `msgKey` and its `msgParam` (a JSON *string*), with DingTalk's refusals, each HTTP 400
 * (docs/dingtalk/robot-messages.md): `invalidParameter.msgKey.empty` / `.invalid`, `invalidParameter.msgParam.invalid`
 * (not a JSON object in a string), `invalidParameter.param.invalid` (a key the msgKey requires is missing).
 */
export function checkRobotMsgParam(msgKey: unknown, msgParam: unknown): RobotMsgParamCheck {
  if (typeof msgKey !== 'string' || msgKey === '') {
    return { ok: false, code: 'invalidParameter.msgKey.empty', message: 'msgKey is empty' };
  }
  const keys = Object.hasOwn(MSG_PARAM_KEYS, msgKey) ? MSG_PARAM_KEYS[msgKey] : undefined;
  if (!keys) {
    return { ok: false, code: 'invalidParameter.msgKey.invalid', message: `msgKey ${msgKey} is invalid` };
  }
  const param = objectOf(typeof msgParam === 'string' ? parseJson(msgParam) : undefined);
  if (!param) {
    return { ok: false, code: 'invalidParameter.msgParam.invalid', message: 'msgParam must be JSON' };
  }
  const lacking = firstMissing(param, keys);
  if (lacking) {
    return { ok: false, code: 'invalidParameter.param.invalid', message: `msgParam lacks ${lacking}` };
  }
  const field = (name: string) => textOf(param[name]);
  switch (msgKey) {
    case 'sampleText':
      return { ok: true, message: { msgtype: msgKey, title: null, text: field('content') } };
    case 'sampleImageMsg':
      return { ok: true, message: { msgtype: msgKey, title: null, text: `![image](${field('photoURL')})` } };
    case 'sampleAudio':
    case 'sampleFile':
    case 'sampleVideo':
      return { ok: true, message: { msgtype: msgKey, title: null, text: `[${msgKey}]` } };
    case 'sampleMarkdown':
      return { ok: true, message: { msgtype: msgKey, title: field('title'), text: field('text') } };
    case 'sampleLink':
      return {
        ok: true,
        message: {
          msgtype: msgKey,
          title: field('title'),
          text: `${field('text')}\n\n[${field('messageUrl')}](${field('messageUrl')})`,
        },
      };
    default: {
      // Every action card's keys are title and text, then the buttons'.
      const buttons = buttonLinks(param, keys.slice(2));
      return {
        ok: true,
        message: { msgtype: msgKey, title: field('title'), text: `${field('text')}\n\n${buttons}` },
      };
    }
  }
}
