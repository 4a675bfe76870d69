import { randomUUID } from 'node:crypto';
import { botKind, botMentions } from '../../dingtalk-bot/bot-kinds';
import { DingTalkBot, MsgType } from '../../dingtalk-bot/entities/dingtalk-bot.entity';
import { DINGTALK_HINTS } from '../../dingtalk/dingtalk-outcome';
import { messageParts } from './message-parts';
import { OutgoingNotification } from '../notification-outbox';

/** What a bot's notification rows take from the bot: where it sends and whom it mentions. */
export type NotifiedBot = Pick<
  DingTalkBot,
  'id' | 'botType' | 'atMobiles' | 'atAll' | 'userIds' | 'openConversationId' | 'atUserIds' | 'agentId'
>;

/**
 * A bot with no channel by its kind (a stream bot with neither user_ids nor open_conversation_id) has nowhere to
 * send: its rows are skipped.
 */
export function hasNoTarget(bot: Pick<DingTalkBot, 'botType' | 'userIds' | 'openConversationId'>): boolean {
  return botKind(bot.botType).channels(bot).length === 0;
}

/**
 * One message for one bot, as the rows the outbox writes: numbered parts when it is too big for one of the bot's
 * channels (message-parts.ts; sharing one `partOf`: sent in order, a part never before an earlier one), the bot's own mentions, and skipped with a hint when the bot has nowhere to send.
 */
export function notificationsForBot(
  bot: NotifiedBot,
  message: { msgType: MsgType; title: string; content: string },
  origin: Pick<OutgoingNotification, 'storeId' | 'kind' | 'menuReportId'>,
): OutgoingNotification[] {
  const noTarget = hasNoTarget(bot);
  const mentions = botMentions(bot);
  const parts = messageParts(bot, {
    msgType: message.msgType,
    title: message.title,
    text: message.content,
    ...mentions,
  });
  const partOf = parts.length > 1 ? randomUUID() : null;
  return parts.map((part) => ({
    ...origin,
    partOf,
    botId: bot.id,
    status: noTarget ? 'skipped' : 'pending',
    hint: noTarget ? DINGTALK_HINTS.noTarget : null,
    msgType: message.msgType,
    title: part.title,
    content: part.content,
    ...mentions,
  }));
}
