/** An app message decoded into what its recipient sees; `text` is markdown where DingTalk renders markdown. */
export interface DecodedAppMessage {
  msgtype: string;
  title: string | null;
  text: string;
}

export type AppMessageResult = { ok: true; message: DecodedAppMessage } | { ok: false; field: string };

function str(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** A string, number or boolean as text; anything else (objects, arrays) as ''. */
export function scalar(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : '';
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/** The first of `fields` that `part` lacks, or null when it has them all. */
function missing(part: Record<string, unknown> | null, fields: string[]): string | null {
  return fields.find((field) => part?.[field] === undefined || part[field] === '') ?? null;
}

/**
 * A work notification's `msg` (docs/dingtalk/work-notifications.md: snake_case fields, one `msgtype`). On failure,
 * `field` names what is missing or wrong, as DingTalk's `40035 缺少参数 …` does.
 */
export function decodeWorkNotificationMsg(msg: unknown): AppMessageResult {
  const root = record(typeof msg === 'string' ? parseJson(msg) : msg);
  const msgtype = str(root?.msgtype);
  if (!root || !msgtype) return { ok: false, field: 'msg.msgtype' };
  const part = record(root[msgtype]);
  const need = (fields: string[], decode: () => DecodedAppMessage): AppMessageResult => {
    const lacking = missing(part, fields);
    return lacking ? { ok: false, field: `msg.${msgtype}.${lacking}` } : { ok: true, message: decode() };
  };
  const field = (name: string) => scalar(part?.[name]);
  switch (msgtype) {
    case 'text':
      return need(['content'], () => ({ msgtype, title: null, text: field('content') }));
    case 'markdown':
      return need(['title', 'text'], () => ({ msgtype, title: field('title'), text: field('text') }));
    case 'link':
      return need(['messageUrl', 'picUrl', 'title', 'text'], () => ({
        msgtype,
        title: field('title'),
        text: `${field('text')}\n\n[${field('messageUrl')}](${field('messageUrl')})`,
      }));
    case 'action_card': {
      const buttons = Array.isArray(part?.btn_json_list) ? part.btn_json_list.map(record) : [];
      const fields =
        buttons.length > 0 ? ['title', 'markdown'] : ['title', 'markdown', 'single_title', 'single_url'];
      return need(fields, () => ({ msgtype, title: field('title'), text: field('markdown') }));
    }
    case 'oa': {
      const body = record(part?.body);
      const lacking = missing(part, ['message_url', 'head', 'body']);
      if (lacking) return { ok: false, field: `msg.oa.${lacking}` };
      const form = Array.isArray(body?.form) ? body.form.map(record) : [];
      const lines = form.map((row) => `${scalar(row?.key)} ${scalar(row?.value)}`);
      return {
        ok: true,
        message: {
          msgtype,
          title: str(body?.title),
          text: [str(body?.content), ...lines].filter((line) => line).join('\n\n'),
        },
      };
    }
    case 'image':
    case 'file':
      return need(['media_id'], () => ({ msgtype, title: null, text: `[${msgtype} ${field('media_id')}]` }));
    case 'voice':
      return need(['media_id', 'duration'], () => ({
        msgtype,
        title: null,
        text: `[voice ${field('media_id')}, ${field('duration')} s]`,
      }));
    default:
      return { ok: false, field: 'msg.msgtype' };
  }
}

/** The `msgParam` keys each robot `msgKey` requires (docs/dingtalk/robot-messages.md). */
const MSG_PARAM_KEYS: Record<string, string[]> = {
  sampleText: ['content'],
  sampleMarkdown: ['title', 'text'],
  sampleImageMsg: ['photoURL'],
  sampleLink: ['text', 'title', 'picUrl', 'messageUrl'],
  sampleActionCard: ['title', 'text', 'singleTitle', 'singleURL'],
  sampleActionCard2: ['title', 'text', 'actionTitle1', 'actionURL1', 'actionTitle2', 'actionURL2'],
  sampleActionCard3: ['title', 'text', 'actionTitle1', 'actionURL1', 'actionTitle2', 'actionURL2'],
  sampleActionCard4: ['title', 'text', 'actionTitle1', 'actionURL1', 'actionTitle2', 'actionURL2'],
  sampleActionCard5: ['title', 'text', 'actionTitle1', 'actionURL1', 'actionTitle2', 'actionURL2'],
  sampleActionCard6: ['title', 'text', 'buttonTitle1', 'buttonUrl1', 'buttonTitle2', 'buttonUrl2'],
  sampleAudio: ['mediaId', 'duration'],
  sampleFile: ['mediaId', 'fileName', 'fileType'],
  sampleVideo: ['duration', 'videoMediaId', 'videoType', 'picMediaId'],
};

export type RobotMessageResult =
  { ok: true; message: DecodedAppMessage } | { ok: false; code: string; message: string };

/** A robot API `msgKey` and its `msgParam` (a JSON *string*), with DingTalk's refusals
 * (docs/dingtalk/robot-messages.md). */
export function decodeRobotMsgParam(msgKey: unknown, msgParam: unknown): RobotMessageResult {
  if (typeof msgKey !== 'string' || msgKey === '') {
    return { ok: false, code: 'invalidParameter.msgKey.empty', message: 'msgKey is empty' };
  }
  const keys = MSG_PARAM_KEYS[msgKey];
  if (!keys)
    return { ok: false, code: 'invalidParameter.msgKey.invalid', message: `msgKey ${msgKey} is invalid` };
  const param = record(typeof msgParam === 'string' ? parseJson(msgParam) : undefined);
  if (!param) {
    return { ok: false, code: 'invalidParameter.msgParam.invalid', message: 'msgParam must be JSON' };
  }
  const lacking = missing(param, keys);
  if (lacking) {
    return { ok: false, code: 'invalidParameter.param.invalid', message: `msgParam lacks ${lacking}` };
  }
  const field = (name: string) => scalar(param[name]);
  switch (msgKey) {
    case 'sampleText':
      return { ok: true, message: { msgtype: msgKey, title: null, text: field('content') } };
    case 'sampleImageMsg':
      return { ok: true, message: { msgtype: msgKey, title: null, text: `![image](${field('photoURL')})` } };
    case 'sampleAudio':
    case 'sampleFile':
    case 'sampleVideo':
      return { ok: true, message: { msgtype: msgKey, title: null, text: `[${msgKey}]` } };
    default:
      return { ok: true, message: { msgtype: msgKey, title: field('title'), text: field('text') } };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
