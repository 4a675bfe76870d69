import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Clock } from '../../common/clock';
import { RecipientOutcome } from '../../dingtalk/recipient-outcomes';
import { BotCommandKind } from './bot-command';
import { BotMessage } from './bot-message';
import { ReceivedBotMessage, ReplyVia } from './entities/received-bot-message.entity';

/** Longer than handling a message can take (two DingTalk calls within their deadlines, and the database). */
const TAKE_OVER_AFTER_MS = 2 * 60_000;

/** A received message this handler now owns; `menuReportId` is set when a report was already made from it. */
export interface ClaimedMessage {
  id: string;
  menuReportId: number | null;
}

export interface HandledMessage {
  outcome: string;
  menuReportId: number | null;
  replyVia: ReplyVia;
  replyError: string | null;
  /** A one-to-one reply's users and what became of it for each; null otherwise. */
  replyRecipients: RecipientOutcome[] | null;
}

/** The log of received bot messages, and the one place that decides whether a message is new. */
@Injectable()
export class ReceivedMessageRepository {
  constructor(
    @InjectRepository(ReceivedBotMessage) private readonly rows: Repository<ReceivedBotMessage>,
    private readonly clock: Clock,
  ) {}

  /**
   * Stores the message unless its msgId is already stored for the app (`robotCode`, its client_id); answers the row
   * to handle it under, or null for a message seen before. One statement: two deliveries racing (two connections,
   * two instances) cannot both win. `bot` is the store's bot it was routed to, null when none took it.
   *
   * A stored message never marked handled, older than a handling can take, was being handled by a process that
   * died: its redelivery takes it over. Whether its report was already written is on the row (`menuReportId`,
   * written in the report's own transaction), so taking over never makes a second report.
   */
  async claim(
    to: { robotCode: string; bot: { id: number; storeId: number } | null },
    message: BotMessage,
    command: BotCommandKind,
  ): Promise<ClaimedMessage | null> {
    const now = this.clock.now();
    const rows: Array<{ id: string | number; menu_report_id: number | null }> = await this.rows.query(
      `INSERT INTO received_bot_messages
         (robot_code, msg_id, bot_id, store_id, conversation_id, conversation_type, sender_staff_id, sender_nick,
          msg_type, text, command, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (robot_code, msg_id) DO UPDATE SET received_at = EXCLUDED.received_at
         WHERE received_bot_messages.handled_at IS NULL AND received_bot_messages.received_at < $13
       RETURNING id, menu_report_id`,
      [
        to.robotCode,
        message.msgId,
        to.bot?.id ?? null,
        to.bot?.storeId ?? null,
        message.conversationId,
        message.conversationType,
        message.senderStaffId?.slice(0, 100) ?? null,
        message.senderNick?.slice(0, 100) ?? null,
        message.msgType.slice(0, 32),
        message.text,
        command,
        new Date(now),
        new Date(now - TAKE_OVER_AFTER_MS),
      ],
    );
    return rows.length > 0 ? { id: String(rows[0].id), menuReportId: rows[0].menu_report_id } : null;
  }

  /**
   * Inside the report's transaction: records that this message made its report. Throws when the message already
   * has one (another handler got there first), which rolls the second report back.
   */
  async markReported(manager: EntityManager, id: string, menuReportId: number): Promise<void> {
    const updated: [unknown[], number] = await manager.query(
      `UPDATE received_bot_messages SET menu_report_id = $2 WHERE id = $1 AND menu_report_id IS NULL`,
      [id, menuReportId],
    );
    if (updated[1] !== 1) throw new Error(`bot message ${id} already made a report`);
  }

  async finish(id: string, handled: HandledMessage): Promise<void> {
    await this.rows.update(
      { id },
      {
        outcome: handled.outcome,
        menuReportId: handled.menuReportId,
        replyVia: handled.replyVia,
        replyError: handled.replyError?.slice(0, 1000) ?? null,
        replyRecipients: handled.replyRecipients,
        handledAt: new Date(this.clock.now()),
      },
    );
  }
}
