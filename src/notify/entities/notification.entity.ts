import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { NotificationStatus } from '../../events/notification.events';
import type { SentMsgType } from '../../dingtalk/outgoing-message';
import type { RecipientOutcome } from '../../dingtalk/recipient-outcomes';
import type { DeliveryTarget, TargetStanding } from '../../dingtalk-bot/bot-sender';

/**
 * `test`: the test button's message (sent once, by the click that wrote it: docs/delivery.md). `alert`: a bot's
 * health alert to a destination bot (src/bot-health/alerts/). `reminder` and `escalation`: an unconfirmed report's
 * reminder to its bots and escalation to the store's escalation bot (src/kitchen-confirmation/).
 */
export const NOTIFICATION_KINDS = [
  'menu_report',
  'batch',
  'digest',
  'daily_summary',
  'test',
  'alert',
  'reminder',
  'escalation',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * One message to one bot: the delivery log and the queue at once. The message is rendered when the
 * row is written, in the same transaction as what caused it, so a row is all a sender needs, even after a
 * crash or after the report's bot settings changed.
 */
@Entity({ name: 'notifications' })
@Index('idx_notifications_bot_status', ['botId', 'status'])
@Index('idx_notifications_report', ['menuReportId'])
@Index('idx_notifications_store_created', ['storeId', 'createdAt'])
export class Notification {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'bot_id', type: 'integer' })
  botId: number;

  @Column({ name: 'store_id', type: 'integer' })
  storeId: number;

  @Column({ name: 'menu_report_id', type: 'integer', nullable: true })
  menuReportId: number | null;

  @Column({ type: 'varchar', length: 16 })
  kind: NotificationKind;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: NotificationStatus;

  @Column({ name: 'msg_type', type: 'varchar', length: 16 })
  /** A bot's msg_type, or one the service composes (an ActionCard of confirmation links). */
  msgType: SentMsgType;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text' })
  content: string;

  @Column({ name: 'at_mobiles', type: 'jsonb', default: () => "'[]'" })
  atMobiles: string[];

  @Column({ name: 'at_user_ids', type: 'jsonb', default: () => "'[]'" })
  atUserIds: string[];

  @Column({ name: 'at_all', type: 'boolean', default: false })
  atAll: boolean;

  /** Attempts that reached DingTalk or failed on the way; a throttled answer does not count. */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt: Date;

  /** The instance that has claimed the row, until when; a dead instance's claims run out (see the dispatcher). */
  @Column({ name: 'lease_owner', type: 'varchar', length: 64, nullable: true })
  leaseOwner: string | null;

  @Column({ name: 'lease_expires_at', type: 'timestamptz', nullable: true })
  leaseExpiresAt: Date | null;

  /** The number of the claim that holds the row (the fencing token, see DeliveryQueue); a resend clears it. */
  @Column({ type: 'bigint', nullable: true })
  claim: string | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  /** What to fix, in plain words, when the notification failed or was skipped. */
  @Column({ type: 'text', nullable: true })
  hint: string | null;

  /** A stream bot's targets this notification has still to reach after a partial send; null: all of them. */
  @Column({ name: 'remaining_targets', type: 'jsonb', nullable: true })
  remainingTargets: DeliveryTarget[] | null;

  /** Shared by the numbered parts of one message, sent in id order; null: a message in one piece. */
  @Column({ name: 'part_of', type: 'uuid', nullable: true })
  partOf: string | null;

  /** What became of the message for each of a stream bot's users (work notifications); null: nothing known. */
  @Column({ type: 'jsonb', nullable: true })
  recipients: RecipientOutcome[] | null;

  /** How each of a stream bot's targets stands after the last attempt; null: none made, or a webhook bot. */
  @Column({ name: 'target_outcomes', type: 'jsonb', nullable: true })
  targetOutcomes: TargetStanding[] | null;

  @Column({ name: 'merged_into', type: 'bigint', nullable: true })
  mergedInto: string | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  /** When it was last queued (written or resent), on the application's clock: its age counts from here. */
  @Column({ name: 'queued_at', type: 'timestamptz', default: () => 'now()' })
  queuedAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
