import { MsgType } from '../../../dingtalk-bot/entities/dingtalk-bot.entity';
import { RecipientOutcome } from '../../../dingtalk/recipient-outcomes';
import { NotificationKind } from '../../entities/notification.entity';
import { DeliveryTarget, SendOutcome } from '../../../dingtalk-bot/bot-sender';
import { AttemptVerdict } from '../retry-policy';

/** A notification this instance has leased and is about to send. */
export interface ClaimedNotification {
  id: string;
  botId: number;
  /** The store the notification belongs to: it is never sent once its bot is in another store. */
  storeId: number;
  kind: NotificationKind;
  /** The bot row's `updated_at` at the claim: its credentials as cached are good while this matches. */
  botVersion: string;
  msgType: MsgType;
  title: string;
  content: string;
  atMobiles: string[];
  atUserIds: string[];
  atAll: boolean;
  attempts: number;
  /** A stream bot's targets an earlier attempt did not reach; null: all of them. */
  remainingTargets: DeliveryTarget[] | null;
  /** What earlier attempts came to for each of a stream bot's users; null: none yet. */
  recipients: RecipientOutcome[] | null;
  /** The claim's time (the application's clock). */
  claimedAt: number;
  /**
   * The entry the claim put in its robot's window (robot_rate_windows.recent_sends: the database's clock at the
   * claim, ms). Recording the result moves it to the database's clock then (at or after the send reached DingTalk).
   */
  windowStamp: number;
  /**
   * The claim's number (a fencing token, from the `notification_claims` sequence): the result, a renewal and the
   * freeing of the bot count only while the row still holds this number.
   */
  claim: string;
  /** The DingTalk robot the bot sends through: its rate window and throttle pause (robot_rate_windows). */
  robotKey: string;
  /** A stream bot's DingTalk app: a pause of all the app's bots (its organisation's quota). */
  appKey: string | null;
}

/** One finished send, waiting to be recorded. */
export interface SendResult {
  claimed: ClaimedNotification;
  startedAt: number;
  finishedAt: number;
  outcome: SendOutcome;
  verdict: AttemptVerdict;
}

/** DingTalk's IP block, as a result asked for it: every instance's sends pause for `ms`. */
export interface ClusterBlock {
  ms: number;
  hint: string | null;
}
