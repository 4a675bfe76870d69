/**
 * The message types a bot, a template or a batch send chooses, by DingTalk's names for them
 * (docs/dingtalk/robot-messages.md).
 */
export const MSG_TYPES = ['text', 'markdown'] as const;
export type MsgType = (typeof MSG_TYPES)[number];

/**
 * What a notification may carry: the chosen types, and those the service composes itself and nobody chooses: a
 * custom robot's `actionCard` (a report's confirmation buttons as links: ActionCardContent in its text), and a
 * `card`, an interactive card of a template of DingTalk's card platform (docs/dingtalk/cards.md), whose text is the
 * JSON `{"cardParamMap": {...}}` of its variables (string values) and whose title names it in the service only: it
 * goes through a stream bot's card API (card.client.ts), never through a webhook or a robot message API.
 */
export const SENT_MSG_TYPES = [...MSG_TYPES, 'actionCard', 'card'] as const;
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
  /**
   * A card's `outTrackId`, the caller's id of the card at DingTalk (docs/dingtalk/cards.md): the same on every
   * attempt to send the same card, so that a retry finds the card an earlier attempt created instead of making a
   * second one. Required for a card; other types ignore it.
   */
  outTrackId?: string;
}

/** A card's variables (`cardParamMap`), as its message's `text` holds them; a card's own problems are thrown. */
export function cardParamMapOf(message: Pick<OutgoingMessage, 'text'>): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.text);
  } catch {
    throw new Error('A card message holds the JSON {"cardParamMap": {...}}: its content is not JSON');
  }
  const map = (parsed as { cardParamMap?: unknown } | null)?.cardParamMap;
  if (typeof map !== 'object' || map === null || Array.isArray(map)) {
    throw new Error('A card message holds the JSON {"cardParamMap": {...}}: cardParamMap is missing');
  }
  // DingTalk takes strings only (docs/dingtalk/cards.md): anything else is the renderer's mistake, said so here.
  for (const [key, value] of Object.entries(map)) {
    if (typeof value !== 'string') throw new Error(`The card variable ${key} is not a string`);
  }
  return { ...(map as Record<string, string>) };
}

/**
 * A card's plain rendition: the message its bot sends, beside the card, where no card can go. A stream bot's users
 * get work notifications, which cannot show a card; rather than losing them (a card goes to the group only), the
 * card's row carries the message the bot would have sent them without the card, as `plain` beside `cardParamMap`
 * in its text: one row, so one notification whose targets (users, group) are recorded and retried apart like any
 * stream bot's (docs/confirmation.md).
 */
export interface CardPlainRendition {
  msgType: MsgType;
  text: string;
}

/** A card message's text: its variables and, for the bot's users, its plain rendition. */
export function cardText(
  cardParamMap: Readonly<Record<string, string>>,
  plain: CardPlainRendition | null,
): string {
  return JSON.stringify(plain ? { cardParamMap, plain } : { cardParamMap });
}

/**
 * The plain message of a card message (its title, mentions and the rendition's type and text); null when it has
 * none (a card row written before cards carried one goes to the group only, as it did then).
 */
export function cardPlainMessageOf(message: OutgoingMessage): OutgoingMessage | null {
  const plain = (JSON.parse(message.text) as { plain?: unknown } | null)?.plain;
  if (plain === undefined || plain === null) return null;
  const { msgType, text } = plain as Partial<CardPlainRendition>;
  if (!MSG_TYPES.includes(msgType as MsgType) || typeof text !== 'string') {
    throw new Error('A card\'s plain rendition holds {"msgType": "text" or "markdown", "text": "..."}');
  }
  return { ...message, msgType: msgType as MsgType, text };
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
