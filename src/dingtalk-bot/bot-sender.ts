import { DingTalkOutcome } from '../dingtalk/dingtalk-outcome';
import { OutgoingMessage } from '../dingtalk/outgoing-message';
import { RecipientOutcome } from '../dingtalk/recipient-outcomes';
import { BotWithSecrets } from './bot-fields';

/** The places a bot sends one message to: a stream bot's users (work notification) and its group. */
export type DeliveryTarget = 'users' | 'group';

/** How a target stands once its recipients are known: all reached, some held back for good, unconfirmed, or not. */
export type UsersStanding = 'sent' | 'partial' | 'unconfirmed' | 'missed';

/** How one target stands after a send: `missed` is still to reach (or failed, as the notification's status says). */
export interface TargetStanding {
  target: DeliveryTarget;
  standing: UsersStanding;
}

/** How a send went, and which of the bot's targets still lack the message (null: none, or only one target). */
export interface SendOutcome extends DingTalkOutcome {
  remainingTargets: DeliveryTarget[] | null;
  /**
   * A stream bot's users: what became of the message for each, earlier attempts included (undefined: as before this
   * send). Decides whom a retry addresses.
   */
  recipients?: RecipientOutcome[] | null;
  /** How each of a stream bot's targets stands (undefined: as before this send). */
  targets?: TargetStanding[] | null;
}

/**
 * Sends one message through one kind of bot (its BotKind's `sender`, bot-kind.ts). The message carries its
 * mentions already (BotKind.mentions): a sender adds none of its own.
 */
export interface BotSender {
  /**
   * `signal`: stop now (the lease of the send is lost); the call ends as a network outcome. `remaining`: the targets
   * an earlier attempt did not reach (null: every target of the bot). `recipients`: what earlier attempts came to
   * for each user (a user who has the message is not sent it again).
   */
  send(
    bot: BotWithSecrets,
    message: OutgoingMessage,
    signal?: AbortSignal,
    remaining?: readonly DeliveryTarget[] | null,
    recipients?: readonly RecipientOutcome[] | null,
  ): Promise<SendOutcome>;
}
