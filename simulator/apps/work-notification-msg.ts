import {
  DecodedMessage,
  firstMissing,
  JsonObject,
  objectOf,
  parseJson,
  textOf,
} from '../core/message-fields';

/**
 * A work notification's `msg` checked: the message, or the field DingTalk names in its `40035` answer
 * (`缺少参数 msg.markdown.title` for a missing one, `不合法的参数 msg.msgtype` for a type it does not know).
 */
export type WorkNotificationMsgCheck =
  { ok: true; message: DecodedMessage } | { ok: false; field: string; missing: boolean };

/**
 * What each msgtype of `msg` must carry, in DingTalk's casing: snake_case, unlike the robot APIs
 * (docs/dingtalk/work-notifications.md). An action_card carries either `single_title` + `single_url` or a non-empty
 * `btn_json_list` of `{title, action_url}`; an oa's `head` its `bgcolor` and `text`, its `body` is free.
 */
export const WORK_NOTIFICATION_FIELDS = {
  text: ['content'],
  markdown: ['title', 'text'],
  link: ['messageUrl', 'picUrl', 'title', 'text'],
  action_card: ['title', 'markdown'],
  action_card_single: ['single_title', 'single_url'],
  action_card_button: ['title', 'action_url'],
  oa: ['message_url'],
  oa_head: ['bgcolor', 'text'],
  image: ['media_id'],
  file: ['media_id'],
  voice: ['media_id', 'duration'],
} as const;

const missing = (field: string): WorkNotificationMsgCheck => ({ ok: false, field, missing: true });
const decoded = (msgtype: string, title: string | null, text: string): WorkNotificationMsgCheck => ({
  ok: true,
  message: { msgtype, title, text },
});

/** `msg` as an object, or as the JSON string of a form body (docs/dingtalk/work-notifications.md). */
export function checkWorkNotificationMsg(msg: unknown): WorkNotificationMsgCheck {
  const root = objectOf(typeof msg === 'string' ? parseJson(msg) : msg);
  if (!root || typeof root.msgtype !== 'string' || root.msgtype === '') return missing('msg.msgtype');
  const msgtype = root.msgtype;
  const part = objectOf(root[msgtype]);
  const field = (name: string) => textOf(part?.[name]);
  const need = (fields: readonly string[], decode: () => DecodedMessage): WorkNotificationMsgCheck => {
    const absent = firstMissing(part, fields);
    return absent ? missing(`msg.${msgtype}.${absent}`) : { ok: true, message: decode() };
  };
  switch (msgtype) {
    case 'text':
      return need(WORK_NOTIFICATION_FIELDS.text, () => ({ msgtype, title: null, text: field('content') }));
    case 'markdown':
      return need(WORK_NOTIFICATION_FIELDS.markdown, () => ({
        msgtype,
        title: field('title'),
        text: field('text'),
      }));
    case 'link':
      return need(WORK_NOTIFICATION_FIELDS.link, () => ({
        msgtype,
        title: field('title'),
        text: `${field('text')}\n\n[${field('messageUrl')}](${field('messageUrl')})`,
      }));
    case 'action_card':
      return checkActionCard(part);
    case 'oa':
      return checkOa(part);
    case 'image':
    case 'file':
      return need(WORK_NOTIFICATION_FIELDS[msgtype], () => ({
        msgtype,
        title: null,
        text: `[${msgtype} ${field('media_id')}]`,
      }));
    case 'voice':
      return need(WORK_NOTIFICATION_FIELDS.voice, () => ({
        msgtype,
        title: null,
        text: `[voice ${field('media_id')}, ${field('duration')} s]`,
      }));
    default:
      return { ok: false, field: 'msg.msgtype', missing: false };
  }
}

/** Buttons in `btn_json_list` when it lists any, else the one `single_title`/`single_url` button. */
function checkActionCard(part: JsonObject | null): WorkNotificationMsgCheck {
  const absent = firstMissing(part, WORK_NOTIFICATION_FIELDS.action_card);
  if (absent) return missing(`msg.action_card.${absent}`);
  const body = textOf(part?.markdown);
  const buttons = Array.isArray(part?.btn_json_list) ? part.btn_json_list.map(objectOf) : [];
  if (buttons.length === 0) {
    const single = firstMissing(part, WORK_NOTIFICATION_FIELDS.action_card_single);
    if (single) return missing(`msg.action_card.${single}`);
    return decoded(
      'action_card',
      textOf(part?.title),
      `${body}\n\n[${textOf(part?.single_title)}](${textOf(part?.single_url)})`,
    );
  }
  const links: string[] = [];
  for (const [index, button] of buttons.entries()) {
    const lack = firstMissing(button, WORK_NOTIFICATION_FIELDS.action_card_button);
    if (lack) return missing(`msg.action_card.btn_json_list[${index}].${lack}`);
    links.push(`[${textOf(button?.title)}](${textOf(button?.action_url)})`);
  }
  return decoded('action_card', textOf(part?.title), `${body}\n\n${links.join(' · ')}`);
}

/** An OA message: `message_url`, a `head` with `bgcolor` and `text`, a `body` whose fields are all optional. */
function checkOa(part: JsonObject | null): WorkNotificationMsgCheck {
  const absent = firstMissing(part, WORK_NOTIFICATION_FIELDS.oa);
  if (absent) return missing(`msg.oa.${absent}`);
  const head = objectOf(part?.head);
  if (!head) return missing('msg.oa.head');
  const headLack = firstMissing(head, WORK_NOTIFICATION_FIELDS.oa_head);
  if (headLack) return missing(`msg.oa.head.${headLack}`);
  const body = objectOf(part?.body);
  if (!body) return missing('msg.oa.body');
  const form = Array.isArray(body.form) ? body.form.map(objectOf) : [];
  const lines = form.map((row) => `${textOf(row?.key)} ${textOf(row?.value)}`);
  const text = [textOf(body.content), ...lines].filter((line) => line.trim() !== '').join('\n\n');
  return decoded('oa', textOf(body.title) || null, text);
}
