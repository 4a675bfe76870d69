import { OutgoingMessage, parseActionCard, withVisibleMentions } from './outgoing-message';

/** How much of the text's first line stands in for a missing markdown title. */
const FALLBACK_TITLE_CHARS = 50;

/**
 * A markdown message's title, never empty: DingTalk refuses a markdown without one on every API (`400402` from a
 * custom robot or sendBySession, `40035 缺少参数 msg.markdown.title` from work notifications,
 * `invalidParameter.param.invalid` from the robot APIs: docs/dingtalk/custom-robot.md, work-notifications.md,
 * robot-messages.md). A template can render an empty
 * one (a title of `{{dish_name}}` for a report given by dish_id only), so the text's first line stands in for it, as
 * DingTalk shows the title only in the chat list and the notification.
 */
function markdownTitle(title: string, text: string): string {
  if (title.trim() !== '') return title;
  const firstLine = text
    .split('\n')
    .map((line) => line.replace(/^[\s#>*+-]+/, '').trim())
    .find((line) => line !== '');
  return [...(firstLine ?? '')].slice(0, FALLBACK_TITLE_CHARS).join('');
}

/**
 * Custom-robot webhook and sendBySession body (camelCase, `at` beside the content: docs/dingtalk/custom-robot.md).
 */
export function webhookBody(message: OutgoingMessage): Record<string, unknown> {
  refuseCard(message, 'a custom robot (webhook)');
  if (message.msgType === 'actionCard') {
    // An ActionCard cannot @mention (DingTalk ignores `at` on it): its text and buttons as composed.
    const { text, btnOrientation, btns } = parseActionCard(message.text);
    return {
      msgtype: 'actionCard',
      actionCard: { title: markdownTitle(message.title, text), text, btnOrientation, btns },
    };
  }
  const text = withVisibleMentions(message);
  const at = {
    atMobiles: [...(message.atMobiles ?? [])],
    atUserIds: [...(message.atUserIds ?? [])],
    isAtAll: message.atAll ?? false,
  };
  return message.msgType === 'markdown'
    ? { msgtype: 'markdown', markdown: { title: markdownTitle(message.title, text), text }, at }
    : { msgtype: 'text', text: { content: text }, at };
}

/**
 * asyncsend_v2 work notification (snake_case, `userid_list` a comma-separated string:
 * docs/dingtalk/work-notifications.md).
 */
export function workNotificationBody(
  agentId: string,
  userIds: readonly string[],
  message: OutgoingMessage,
): Record<string, unknown> {
  refuseCard(message, 'a work notification');
  const msg =
    message.msgType === 'markdown'
      ? {
          msgtype: 'markdown',
          markdown: { title: markdownTitle(message.title, message.text), text: message.text },
        }
      : { msgtype: 'text', text: { content: message.text } };
  return { agent_id: Number(agentId), userid_list: userIds.join(','), msg };
}

/** `getsendresult` of a work notification's task (docs/dingtalk/work-notifications.md). */
export function sendResultBody(agentId: string, taskId: number): Record<string, unknown> {
  return { agent_id: Number(agentId), task_id: taskId };
}

/**
 * Robot group message (docs/dingtalk/robot-messages.md): `msgParam` is a JSON *string*. The API cannot @mention, so
 * mentions are only written into the text.
 */
export function groupMessageBody(
  robotCode: string,
  openConversationId: string,
  message: OutgoingMessage,
): Record<string, unknown> {
  return { robotCode, openConversationId, ...robotMessageKeyAndParam(message) };
}

/** Robot message into one-to-one chats (docs/dingtalk/robot-messages.md): same msgKey/msgParam as a group message. */
export function oneToOneMessageBody(
  robotCode: string,
  userIds: readonly string[],
  message: OutgoingMessage,
): Record<string, unknown> {
  return { robotCode, userIds: [...userIds], ...robotMessageKeyAndParam(message) };
}

function robotMessageKeyAndParam(message: OutgoingMessage): { msgKey: string; msgParam: string } {
  refuseCard(message, 'a robot message');
  const text = withVisibleMentions(message);
  const [msgKey, msgParam] =
    message.msgType === 'markdown'
      ? ['sampleMarkdown', { title: markdownTitle(message.title, text), text }]
      : ['sampleText', { content: text }];
  return { msgKey, msgParam: JSON.stringify(msgParam) };
}

/**
 * A card is not a message of the message APIs: it goes through the card API (card.client.ts). Reaching one of them
 * with a card is the caller's mistake, said at once rather than sent as a text of JSON.
 */
function refuseCard(message: OutgoingMessage, api: string): void {
  if (message.msgType === 'card') {
    throw new Error(`An interactive card cannot be sent as ${api}: it goes through a stream bot's card API`);
  }
}

/** The DingTalk APIs a bot's message goes through, as far as their size limits go. */
export type MessageChannel = 'webhook' | 'work_notification' | 'group_message';

/**
 * The most each API takes, in bytes of what it measures (measuredBytes):
 * - custom robot webhook: the whole body, 20,000 (errcode 460101, docs/dingtalk/custom-robot.md);
 * - robot group message: `msgParam`, 15,000 (docs/dingtalk/robot-messages.md);
 * - work notification: no documented limit (docs/dingtalk/work-notifications.md marks a 2,048-byte cap on `msg`
 *   unconfirmed); held to the webhook's 20,000-byte body, the largest any of DingTalk's message APIs documents.
 */
export const MESSAGE_SIZE_LIMITS: Readonly<Record<MessageChannel, number>> = {
  webhook: 20_000,
  work_notification: 20_000,
  group_message: 15_000,
};

/** Who a work notification goes to: part of its body, so of its size. */
export interface WorkNotificationAddress {
  agentId: string | null;
  userIds: readonly string[];
}

/**
 * The bytes of `message` that count against the channel's limit (MESSAGE_SIZE_LIMITS), measured on the body the
 * client sends: the JSON body, or a group message's `msgParam` string. A card, whichever channel, is measured on its
 * content, the `cardData` JSON the card API sends: DingTalk documents no size limit for cards, so the channel's own
 * is held to (a card is never cut into parts: its variables are a report's short fields).
 */
export function measuredBytes(
  channel: MessageChannel,
  message: OutgoingMessage,
  address: WorkNotificationAddress = { agentId: null, userIds: [] },
): number {
  if (message.msgType === 'card') return Buffer.byteLength(message.text, 'utf8');
  switch (channel) {
    case 'webhook':
      return jsonBytes(webhookBody(message));
    case 'work_notification':
      // agent_id is sent as a number; an unset one is measured at its longest (20 digits).
      return jsonBytes(workNotificationBody(address.agentId ?? '9'.repeat(20), address.userIds, message));
    case 'group_message':
      return Buffer.byteLength(robotMessageKeyAndParam(message).msgParam, 'utf8');
  }
}

function jsonBytes(body: Record<string, unknown>): number {
  return Buffer.byteLength(JSON.stringify(body), 'utf8');
}
