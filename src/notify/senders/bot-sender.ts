import { BotWithSecrets } from '../../dingtalk-bot/bot-fields';
import { BotType } from '../../dingtalk-bot/entities/dingtalk-bot.entity';
import { DingTalkOutcome } from '../../dingtalk/dingtalk-outcome';
import { OutgoingMessage } from '../../dingtalk/outgoing-message';

/** The places a bot sends one message to: a stream bot's users (work notification) and its group. */
export type DeliveryTarget = 'users' | 'group';

/** How a send went, and which of the bot's targets still lack the message (null: none, or only one target). */
export interface SendOutcome extends DingTalkOutcome {
  remainingTargets: DeliveryTarget[] | null;
}

/** Sends one message through one kind of bot. A third bot type is one new sender and one registration line. */
export interface BotSender {
  readonly botType: BotType;
  /**
   * `signal`: stop now (the lease of the send is lost); the call ends as a network outcome. `remaining`: the targets
   * an earlier attempt did not reach (null: every target of the bot).
   */
  send(
    bot: BotWithSecrets,
    message: OutgoingMessage,
    signal?: AbortSignal,
    remaining?: readonly DeliveryTarget[] | null,
  ): Promise<SendOutcome>;
}

/** The injection token under which every BotSender is registered (see bot-senders.module.ts). */
export const BOT_SENDERS = Symbol('BOT_SENDERS');
