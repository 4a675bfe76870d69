import { firstMissing, JsonObject, objectOf, textOf } from '../core/message-fields';

/**
 * The body of a custom robot's message, the one format `POST /robot/send` and `POST /robot/sendBySession` share
 * (docs/dingtalk/custom-robot.md, Message bodies), checked as DingTalk checks it and decoded into what a group
 * member sees.
 */
export interface DecodedRobotMessage {
  msgtype: string;
  title: string | null;
  /** Markdown for every type but `text`. */
  text: string;
  /** Every string a keyword could appear in. */
  searchable: string;
}

export type RobotBodyCheck =
  { ok: true; message: DecodedRobotMessage } | { ok: false; errcode: number; errmsg: string };

/**
 * What each msgtype must carry, in DingTalk's casing (docs/dingtalk/custom-robot.md): `picUrl`/`picURL` may be
 * left out; an actionCard carries either `singleTitle` + `singleURL` or a non-empty `btns` of
 * `{title, actionURL}`; a feedCard a non-empty `links` of `{title, messageURL}`.
 */
export const CUSTOM_ROBOT_FIELDS = {
  text: ['content'],
  markdown: ['title', 'text'],
  link: ['title', 'text', 'messageUrl'],
  actionCard: ['title', 'text'],
  actionCardSingle: ['singleTitle', 'singleURL'],
  actionCardButton: ['title', 'actionURL'],
  feedCardLink: ['title', 'messageURL'],
} as const;

/**
 * The codes DingTalk has been seen to answer for a missing field (docs/dingtalk/custom-robot.md, Answers). For the
 * others it documents none: the simulator answers its documented "missing parameter", 40035.
 */
const MISSING_FIELD_CODES: Record<string, number> = {
  'text --》 content': 400202,
  'markdown --》 title': 400402,
  'markdown --》 text': 400403,
};
const MISSING_PARAMETER = 40035;

/** DingTalk's wording of a missing or malformed field, naming it by its path (`markdown --》 title`). */
function missingField(path: string[]): RobotBodyCheck {
  const name = path.join(' --》 ');
  return {
    ok: false,
    errcode: MISSING_FIELD_CODES[name] ?? MISSING_PARAMETER,
    errmsg:
      `错误描述:参数 ${name} 缺失，或者参数格式不正确; 解决方案:请填充上对应参数;` +
      '参考链接:请参考本接口对应文档查看参数获取方式，或者在https://open.dingtalk.com/document/  搜索对应文档;',
  };
}

function decoded(msgtype: string, title: string | null, text: string): RobotBodyCheck {
  return { ok: true, message: { msgtype, title, text, searchable: title ? `${title}\n${text}` : text } };
}

const linkTo = (title: string, url: string) => `[${title}](${url})`;

/**
 * Checks a body and decodes it: no JSON object or no `msgtype` is `40035 缺少参数 json`, a type the webhook cannot
 * send (image, file, voice, a misspelt type) `400105`, a missing field DingTalk's answer for it (above).
 */
export function checkCustomRobotBody(body: unknown): RobotBodyCheck {
  const root = objectOf(body);
  if (!root || typeof root.msgtype !== 'string' || root.msgtype === '') {
    return { ok: false, errcode: MISSING_PARAMETER, errmsg: '缺少参数 json' };
  }
  const msgtype = root.msgtype;
  const part = objectOf(root[msgtype]);
  const field = (name: string) => textOf(part?.[name]);
  const lacking = (fields: readonly string[]) => firstMissing(part, fields);
  switch (msgtype) {
    case 'text': {
      const absent = lacking(CUSTOM_ROBOT_FIELDS.text);
      return absent ? missingField([msgtype, absent]) : decoded(msgtype, null, field('content'));
    }
    case 'markdown': {
      const absent = lacking(CUSTOM_ROBOT_FIELDS.markdown);
      return absent ? missingField([msgtype, absent]) : decoded(msgtype, field('title'), field('text'));
    }
    case 'link': {
      const absent = lacking(CUSTOM_ROBOT_FIELDS.link);
      if (absent) return missingField([msgtype, absent]);
      return decoded(
        msgtype,
        field('title'),
        `${field('text')}\n\n${linkTo(field('messageUrl'), field('messageUrl'))}`,
      );
    }
    case 'actionCard':
      return checkActionCard(part);
    case 'feedCard':
      return checkFeedCard(part);
    default:
      return { ok: false, errcode: 400105, errmsg: `不支持的消息类型: ${msgtype}` };
  }
}

/** One button (`singleTitle`/`singleURL`) or a list of them (`btns`): a card without a button is refused. */
function checkActionCard(part: JsonObject | null): RobotBodyCheck {
  const absent = firstMissing(part, CUSTOM_ROBOT_FIELDS.actionCard);
  if (absent) return missingField(['actionCard', absent]);
  const body = textOf(part?.text);
  if (part?.btns === undefined) {
    const single = firstMissing(part, CUSTOM_ROBOT_FIELDS.actionCardSingle);
    if (single) return missingField(['actionCard', single]);
    return decoded(
      'actionCard',
      textOf(part?.title),
      `${body}\n\n${linkTo(textOf(part?.singleTitle), textOf(part?.singleURL))}`,
    );
  }
  const buttons = Array.isArray(part.btns) ? part.btns.map(objectOf) : [];
  if (buttons.length === 0) return missingField(['actionCard', 'btns']);
  const links: string[] = [];
  for (const [index, button] of buttons.entries()) {
    const lack = firstMissing(button, CUSTOM_ROBOT_FIELDS.actionCardButton);
    if (lack) return missingField(['actionCard', `btns[${index}]`, lack]);
    links.push(linkTo(textOf(button?.title), textOf(button?.actionURL)));
  }
  return decoded('actionCard', textOf(part.title), `${body}\n\n${links.join(' · ')}`);
}

/** A list of `{title, messageURL, picURL?}`: note the capitals, unlike a link's `messageUrl`. */
function checkFeedCard(part: JsonObject | null): RobotBodyCheck {
  const links = Array.isArray(part?.links) ? part.links.map(objectOf) : [];
  if (links.length === 0) return missingField(['feedCard', 'links']);
  const lines: string[] = [];
  for (const [index, link] of links.entries()) {
    const lack = firstMissing(link, CUSTOM_ROBOT_FIELDS.feedCardLink);
    if (lack) return missingField(['feedCard', `links[${index}]`, lack]);
    lines.push(`- ${linkTo(textOf(link?.title), textOf(link?.messageURL))}`);
  }
  const titles = links.map((link) => textOf(link?.title));
  return {
    ok: true,
    message: { msgtype: 'feedCard', title: titles[0], text: lines.join('\n'), searchable: titles.join('\n') },
  };
}
