/** The message types this service sends, by DingTalk's names for them (docs/dingtalk/robot-messages.md). */
export const MSG_TYPES = ['text', 'markdown'] as const;
export type MsgType = (typeof MSG_TYPES)[number];

/** A message to post, independent of the DingTalk API it goes through. */
export interface OutgoingMessage {
  msgType: MsgType;
  /** Shown in the chat list for markdown; ignored by text messages. */
  title: string;
  text: string;
  atMobiles?: readonly string[];
  atUserIds?: readonly string[];
  atAll?: boolean;
}

/**
 * DingTalk only renders a mention that is also written in the text (docs/dingtalk/custom-robot.md): append
 * `@<mobile>` / `@<userId>` for each one the text does not contain yet.
 */
export function withVisibleMentions(message: OutgoingMessage): string {
  const mentions = [...(message.atMobiles ?? []), ...(message.atUserIds ?? [])]
    .map((who) => `@${who}`)
    .filter((mention) => !message.text.includes(mention));
  if (message.atAll && !message.text.includes('@所有人')) mentions.push('@所有人');
  if (mentions.length === 0) return message.text;
  return `${message.text}${message.msgType === 'markdown' ? '\n\n' : '\n'}${mentions.join(' ')}`;
}
