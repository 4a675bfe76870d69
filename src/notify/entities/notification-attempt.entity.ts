import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One call to DingTalk for a notification, whatever came of it (every attempt is recorded, answered or not). */
@Entity({ name: 'notification_attempts' })
@Index('idx_notification_attempts_notification', ['notificationId', 'at'])
export class NotificationAttempt {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'notification_id', type: 'bigint' })
  notificationId: string;

  @Column({ type: 'timestamptz' })
  at: Date;

  /** ok, throttled, transient, permanent or token_expired (see dingtalk-outcome.ts). */
  @Column({ type: 'varchar', length: 16 })
  outcome: string;

  @Column({ name: 'http_status', type: 'integer', nullable: true })
  httpStatus: number | null;

  /** DingTalk's errcode (a number on the old API) or code (a string on the new one), as text. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  errcode: string | null;

  @Column({ type: 'text', nullable: true })
  errmsg: string | null;

  @Column({ name: 'latency_ms', type: 'integer', nullable: true })
  latencyMs: number | null;
}
