import { botKind } from '../../dingtalk-bot/bot-kinds';
import type { DingTalkBot } from '../../dingtalk-bot/entities/dingtalk-bot.entity';
import { MESSAGE_SIZE_LIMITS, MessageChannel, measuredBytes } from '../../dingtalk/message-bodies';
import type { OutgoingMessage } from '../../dingtalk/outgoing-message';

/**
 * Each DingTalk API a bot's message goes through has its own size limit (MESSAGE_SIZE_LIMITS): a custom robot's
 * webhook body 20,000 bytes, a robot group message's `msgParam` 15,000. A message too big for any of the bot's
 * channels is sent in numbered parts instead, each measured on the real body of every channel of the bot.
 */

/** What the size of a bot's message depends on: where it goes. */
export type SizedBot = Pick<DingTalkBot, 'botType' | 'userIds' | 'openConversationId' | 'agentId'>;

export interface MessagePart {
  title: string;
  content: string;
}

/** DingTalk cuts a markdown title at 200 characters here (the notifications table holds no more). */
const TITLE_MAX = 200;

/** The channels a bot's messages go through, as its kind says: a webhook, or a stream bot's users and/or group. */
export function channelsOf(bot: SizedBot): MessageChannel[] {
  return botKind(bot.botType).channels(bot);
}

/** Whether the message fits every channel of the bot, measured on the bodies as they are sent. */
export function fitsBot(bot: SizedBot, message: OutgoingMessage): boolean {
  const address = { agentId: bot.agentId, userIds: bot.userIds };
  return channelsOf(bot).every(
    (channel) => measuredBytes(channel, message, address) <= MESSAGE_SIZE_LIMITS[channel],
  );
}

/**
 * How many bytes of text (JSON-escaped, as jsonBytes counts them) the message may carry on every channel of the
 * bot: each channel's limit less what the rest of its body takes with an empty text (title, mentions, envelope).
 * A text adds exactly its escaped bytes to each body, so this is exact, not an estimate.
 */
export function textBudget(bot: SizedBot, message: OutgoingMessage): number {
  const address = { agentId: bot.agentId, userIds: bot.userIds };
  const empty = { ...message, text: '' };
  const budgets = channelsOf(bot).map(
    (channel) => MESSAGE_SIZE_LIMITS[channel] - measuredBytes(channel, empty, address),
  );
  return Math.min(...budgets, MESSAGE_SIZE_LIMITS.webhook);
}

/** Size of a text as it travels: JSON-escaped (a newline costs two bytes), UTF-8. */
export function jsonBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text), 'utf8') - 2;
}

/**
 * Cuts a text into chunks within the budget, at line ends where it can, inside a line only when it must. Sizes are
 * added up as it goes (JSON escapes each character on its own, so a text's size is the sum of its pieces'), which
 * keeps a long text linear rather than measuring every candidate again.
 */
export function splitText(text: string, budget: number): string[] {
  if (jsonBytes(text) <= budget) return [text];
  const NEWLINE = 2; // "\n" as JSON sends it
  const chunks: string[] = [];
  // null: nothing collected yet (an empty string is a collected empty line).
  let current: string | null = null;
  let currentBytes = 0;
  const push = () => {
    if (current !== null) chunks.push(current);
    current = null;
    currentBytes = 0;
  };
  for (const line of text.split('\n')) {
    const lineBytes = jsonBytes(line);
    if (current !== null && currentBytes + NEWLINE + lineBytes <= budget) {
      current = `${current}\n${line}`;
      currentBytes += NEWLINE + lineBytes;
      continue;
    }
    push();
    if (lineBytes <= budget) {
      current = line;
      currentBytes = lineBytes;
      continue;
    }
    // One line over the budget: cut it by characters (never inside a surrogate pair).
    for (const char of line) {
      const charBytes = jsonBytes(char);
      if (current !== null && currentBytes + charBytes > budget) push();
      current = (current ?? '') + char;
      currentBytes += charBytes;
    }
  }
  push();
  return chunks;
}

/**
 * The parts of a message to `bot`: the message whole when it fits every channel of the bot, else numbered parts,
 * each titled and headed `（i/n）` and each checked on the real bodies.
 */
export function messageParts(bot: SizedBot, message: OutgoingMessage): MessagePart[] {
  const title = message.title.slice(0, TITLE_MAX);
  if (fitsBot(bot, { ...message, title })) return [{ title, content: message.text }];
  const label = (index: number, count: number) => `（${index}/${count}）`;
  // The longest title and part header a part can have (up to 999 parts), so that every part fits.
  const widest = label(999, 999);
  const room = textBudget(bot, { ...message, title: `${title}${widest}`.slice(0, TITLE_MAX) });
  // A budget that the measured bodies refuse after all (it cannot happen: textBudget is exact) is narrowed.
  for (let budget = room - jsonBytes(`${widest}\n`); budget > 0; budget -= 256) {
    const chunks = splitText(message.text, budget);
    const parts = chunks.map((chunk, index) => {
      const tag = label(index + 1, chunks.length);
      return { title: `${title}${tag}`.slice(0, TITLE_MAX), content: `${tag}\n${chunk}` };
    });
    if (parts.every((part) => fitsBot(bot, { ...message, title: part.title, text: part.content })))
      return parts;
  }
  throw new Error('The message cannot be cut to fit this bot: its title and mentions alone are too big');
}
