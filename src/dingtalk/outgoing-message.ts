/**
 * The message types a bot, a template or a batch send chooses, by DingTalk's names for them
 * (docs/dingtalk/robot-messages.md).
 */
export const MSG_TYPES = ['text', 'markdown'] as const;
export type MsgType = (typeof MSG_TYPES)[number];

/**
 * What a notification may carry: the chosen types, and those the service composes itself and nobody chooses: a
 * custom robot's `actionCard` (a report's confirmation buttons as links: ActionCardContent in its text).
 */
export const SENT_MSG_TYPES = [...MSG_TYPES, 'actionCard'] as const;
export type SentMsgType = (typeof SENT_MSG_TYPES)[number];

/** A custom robot's ActionCard with buttons that open links (docs/dingtalk/custom-robot.md). */
export interface ActionCardContent {
  /** Markdown. */
  text: string;
  /** '0': buttons one under the other; '1': side by side. */
  btnOrientation: '0' | '1';
  btns: Array<{ title: string; actionURL: string }>;
}

/**
 * An ActionCard travels as the text of its message (a notification's `content`), as JSON: a notification row is all
 * its sender needs (docs/delivery.md).
 */
export function actionCardText(card: ActionCardContent): string {
  return JSON.stringify(card);
}

export function parseActionCard(text: string): ActionCardContent {
  return JSON.parse(text) as ActionCardContent;
}

/** A message to post, independent of the DingTalk API it goes through. */
export interface OutgoingMessage {
  msgType: SentMsgType;
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
