import type { DingTalkBot } from '../../dingtalk-bot/entities/dingtalk-bot.entity';
import {
  actionCardText,
  CardPlainRendition,
  cardText,
  MsgType,
  SentMsgType,
} from '../../dingtalk/outgoing-message';
import type { ReportedDish } from '../../events/menu-report.events';
import type { PlannedButton } from '../report-confirmations';
import { confirmationLink, MAX_BUTTONS, newTicket } from './confirmation-link';
import { channelsOf, fitsBot } from './message-parts';
import { dishLabel, formatQuantity } from './message-text';
import { formatTime } from './report-message';

/** A bot as confirmation sees it: where it sends, and (a stream bot) the card template it posts reports with. */
export type ConfirmingBot = Pick<
  DingTalkBot,
  'botType' | 'userIds' | 'openConversationId' | 'agentId' | 'cardTemplateId'
>;

/** How the service's links are made: PUBLIC_URL (null: none) and the key that signs them. */
export interface LinkSigning {
  publicUrl: string | null;
  key: Buffer;
}

export interface ConfirmableMessage {
  msgType: SentMsgType;
  title: string;
  content: string;
}

/** What a bot's notification of a confirmable report is: a message with buttons, or today's and why not. */
export type ConfirmationDecision =
  | { kind: 'buttons'; message: ConfirmableMessage; ticket: string | null }
  | { kind: 'not_requested'; reason: string };

/** Why a bot's notification carries no buttons, as the API says it (docs/confirmation.md). */
export const NOT_REQUESTED = {
  noPublicUrl:
    "PUBLIC_URL is not set: a webhook bot's confirmation buttons are links to this service, which staff phones " +
    'must reach (docs/confirmation.md)',
  noCardTemplate:
    'The stream bot has no card template (card_template_id): its reports go as messages without buttons',
  noGroup: "A card goes to the stream bot's group: it has none (open_conversation_id)",
  noTarget: 'The bot has nowhere to send (no target)',
  tooLong: 'The message with its buttons is too long for one DingTalk message: sent without buttons',
  unknownKind: "The bot's kind has no buttons",
} as const;

/**
 * A report's notification for one bot of a store whose kitchen confirms (docs/confirmation.md):
 * - a custom robot (webhook channel): an ActionCard, its text the report as the bot shows it (`shown`: the built-in
 *   markdown or the bot's template), one button per action, each a signed link to the service (PUBLIC_URL);
 * - a stream bot with a card template and a group: a card (`msg_type` card) in the group, its content
 *   `{"cardParamMap": {...}, "plain": {...}}`: the template's variables (docs/dingtalk/cards/kitchen-confirmation.json),
 *   every value a string, `status` and `confirmed_text` empty until someone presses a button; and as `plain` the
 *   message the bot sends without confirmation (`asSent`), for its user_ids' work notification (cardPlainMessageOf).
 *   Unless that message is too long for one work notification: a card's row is never cut into parts, so no card;
 * - anything else: the report as today, and why there are no buttons.
 */
export function confirmableReport(
  bot: ConfirmingBot,
  report: ReportedDish,
  shown: { title: string; content: string; markdown: boolean },
  buttons: readonly PlannedButton[],
  links: LinkSigning,
  timeZone: string,
  asSent: { msgType: MsgType; content: string },
): ConfirmationDecision {
  const channels = channelsOf(bot);
  if (channels.length === 0) return { kind: 'not_requested', reason: NOT_REQUESTED.noTarget };
  const offered = buttons.slice(0, MAX_BUTTONS);
  if (channels.every((channel) => channel === 'webhook')) {
    if (links.publicUrl === null) return { kind: 'not_requested', reason: NOT_REQUESTED.noPublicUrl };
    const ticket = newTicket();
    const publicUrl = links.publicUrl;
    const message: ConfirmableMessage = {
      msgType: 'actionCard',
      title: shown.title,
      content: actionCardText({
        // A text template's lines would run together in markdown: each becomes a line of its own.
        text: `${shown.markdown ? shown.content : shown.content.split('\n').join('  \n')}\n\n请确认：`,
        btnOrientation: offered.length <= 2 ? '1' : '0',
        btns: offered.map((button, index) => ({
          title: button.label,
          actionURL: confirmationLink(publicUrl, links.key, ticket, index),
        })),
      }),
    };
    if (!fitsBot(bot, { msgType: message.msgType, title: message.title, text: message.content })) {
      return { kind: 'not_requested', reason: NOT_REQUESTED.tooLong };
    }
    return { kind: 'buttons', message, ticket };
  }
  if (channels.some((channel) => channel === 'webhook')) {
    return { kind: 'not_requested', reason: NOT_REQUESTED.unknownKind };
  }
  if (!bot.cardTemplateId) return { kind: 'not_requested', reason: NOT_REQUESTED.noCardTemplate };
  // A card goes to the bot's group only (its point: the whole kitchen sees who confirmed).
  if (!bot.openConversationId) return { kind: 'not_requested', reason: NOT_REQUESTED.noGroup };
  // The users' work notification is what it would be without the card (the group alone confirms); measured on
  // their channel only, since the group gets the card instead.
  const plain: CardPlainRendition = { msgType: asSent.msgType, text: asSent.content };
  if (!fitsBot({ ...bot, openConversationId: null }, { ...plain, title: shown.title })) {
    return { kind: 'not_requested', reason: NOT_REQUESTED.tooLong };
  }
  return {
    kind: 'buttons',
    message: { msgType: 'card', title: shown.title, content: cardContent(report, timeZone, plain) },
    ticket: null,
  };
}

/**
 * The card's variables (docs/dingtalk/cards/kitchen-confirmation.json), as strings, and the plain rendition its bot's
 * users get.
 */
export function cardContent(report: ReportedDish, timeZone: string, plain: CardPlainRendition): string {
  const dish = dishLabel(report);
  const quantity = `${formatQuantity(report.quantity)} ${report.unit}`;
  const store = `门店 ${report.storeId}`;
  const cardParamMap: Record<string, string> = {
    summary: `报菜：${dish} × ${quantity}`,
    title: `报菜 · ${store}`,
    dish_name: dish,
    quantity,
    store_name: store,
    report_time: formatTime(report.createdAt, timeZone),
    status: '',
    confirmed_text: '',
  };
  return cardText(cardParamMap, plain);
}
