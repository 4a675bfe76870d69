import { OutgoingMessage, withVisibleMentions } from './outgoing-message';

/**
 * Custom-robot webhook and sendBySession body (camelCase, `at` beside the content: docs/dingtalk/custom-robot.md).
 */
export function webhookBody(message: OutgoingMessage): Record<string, unknown> {
  const text = withVisibleMentions(message);
  const at = {
    atMobiles: [...(message.atMobiles ?? [])],
    atUserIds: [...(message.atUserIds ?? [])],
    isAtAll: message.atAll ?? false,
  };
  return message.msgType === 'markdown'
    ? { msgtype: 'markdown', markdown: { title: message.title, text }, at }
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
  const msg =
    message.msgType === 'markdown'
      ? { msgtype: 'markdown', markdown: { title: message.title, text: message.text } }
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
  const text = withVisibleMentions(message);
  const [msgKey, msgParam] =
    message.msgType === 'markdown'
      ? ['sampleMarkdown', { title: message.title, text }]
      : ['sampleText', { content: text }];
  return { msgKey, msgParam: JSON.stringify(msgParam) };
}
