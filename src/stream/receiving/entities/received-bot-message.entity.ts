import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { RecipientOutcome } from '../../../dingtalk/recipient-outcomes';
import type { BotCommandKind } from '../bot-command';

/** How the answer reached the conversation: its sessionWebhook, or the robot APIs when that had expired. */
export type ReplyVia = 'session' | 'group' | 'oto' | 'none';

/** A message a staff member wrote to an app's robot, stored once per DingTalk msgId (of the app). */
@Entity({ name: 'received_bot_messages' })
export class ReceivedBotMessage {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  /** The app's client id (AppKey): msgIds are unique within it. */
  @Column({ name: 'robot_code', type: 'varchar', length: 128 })
  robotCode: string;

  @Column({ name: 'msg_id', type: 'varchar', length: 255 })
  msgId: string;

  /** The bot (and store) it was for; null when no store's bot took it (a group nobody linked, an unbound sender). */
  @Column({ name: 'bot_id', type: 'integer', nullable: true })
  botId: number | null;

  @Column({ name: 'store_id', type: 'integer', nullable: true })
  storeId: number | null;

  @Column({ name: 'conversation_id', type: 'varchar', length: 255, nullable: true })
  conversationId: string | null;

  @Column({ name: 'conversation_type', type: 'varchar', length: 4, nullable: true })
  conversationType: string | null;

  @Column({ name: 'sender_staff_id', type: 'varchar', length: 100, nullable: true })
  senderStaffId: string | null;

  @Column({ name: 'sender_nick', type: 'varchar', length: 100, nullable: true })
  senderNick: string | null;

  @Column({ name: 'msg_type', type: 'varchar', length: 32 })
  msgType: string;

  @Column({ type: 'text', nullable: true })
  text: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  command: BotCommandKind | null;

  /** What came of it, e.g. `report_created`, `invalid_report`, `bound`, `failed`; null while being handled. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  outcome: string | null;

  @Column({ name: 'menu_report_id', type: 'integer', nullable: true })
  menuReportId: number | null;

  @Column({ name: 'reply_via', type: 'varchar', length: 16, nullable: true })
  replyVia: ReplyVia | null;

  /** Why the answer could not be delivered (DingTalk's errmsg); never a URL or a token. */
  @Column({ name: 'reply_error', type: 'text', nullable: true })
  replyError: string | null;

  /**
   * A one-to-one reply (through the robot API): each user and what became of it (`forbidden` / `flowControlled`:
   * DingTalk throttled them even after the retries; `invalid`: unknown to the organisation). Null otherwise.
   */
  @Column({ name: 'reply_recipients', type: 'jsonb', nullable: true })
  replyRecipients: RecipientOutcome[] | null;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  @Column({ name: 'handled_at', type: 'timestamptz', nullable: true })
  handledAt: Date | null;
}
