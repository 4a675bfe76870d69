import { BotWithSecrets } from '../../dingtalk-bot/bot-fields';
import { BotType } from '../../dingtalk-bot/entities/dingtalk-bot.entity';
import { DingTalkOutcome } from '../../dingtalk/dingtalk-outcome';
import { OutgoingMessage } from '../../dingtalk/outgoing-message';

/** Sends one message through one kind of bot. A third bot type is one new sender and one registration line. */
export interface BotSender {
  readonly botType: BotType;
  /** `signal`: stop now (the lease of the send is lost); the call ends as a network outcome. */
  send(bot: BotWithSecrets, message: OutgoingMessage, signal?: AbortSignal): Promise<DingTalkOutcome>;
}

/** The injection token under which every BotSender is registered (see bot-senders.module.ts). */
export const BOT_SENDERS = Symbol('BOT_SENDERS');
