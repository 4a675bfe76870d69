import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '../database/query-rows';
import { ConfirmationButton } from './confirmation-state';

/** The two steps an unconfirmed report takes: each has a due time and a state on the report's row. */
export type ConfirmationStep = 'reminder' | 'escalation';

/** A report's step, locked for its sending. */
export interface DueStep {
  menuReportId: number;
  storeId: number;
  reportedAt: Date;
  dueAt: Date;
  /** When the reminder went (the escalation says so); null: it did not. */
  remindedAt: Date | null;
}

/** A notification of the report still waiting for a press: where the reminder goes, with what buttons. */
export interface WaitingNotification {
  notificationId: string;
  botId: number;
  ticket: string | null;
  buttons: ConfirmationButton[];
}

/** Column names by step: written into the statements (never from input). */
const COLUMNS: Record<ConfirmationStep, { due: string; state: string; at: string }> = {
  reminder: { due: 'reminder_due_at', state: 'reminder_state', at: 'reminded_at' },
  escalation: { due: 'escalation_due_at', state: 'escalation_state', at: 'escalated_at' },
};

/**
 * The escalation job's rows: which reports have a step due, each locked for its sending (SKIP LOCKED: another
 * instance takes the next one), and the step's state set in the same transaction as the notifications it queues,
 * so that a step is sent at most once, and never after a press (the recorder locks the same row and cancels it).
 */
@Injectable()
export class ConfirmationStepsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Reports whose `step` is due at `now`, oldest due first. */
  async due(step: ConfirmationStep, now: Date, limit: number): Promise<number[]> {
    const c = COLUMNS[step];
    const rows = rowsOf<{ menu_report_id: number }>(
      await this.dataSource.query(
        `SELECT menu_report_id FROM report_confirmations
         WHERE ${c.state} = 'pending' AND ${c.due} <= $1 ORDER BY ${c.due} LIMIT $2`,
        [now, limit],
      ),
    );
    return rows.map((row) => row.menu_report_id);
  }

  /** The report's step, locked, if it is still due (unconfirmed, pending, its time come); else null. */
  async lockDue(
    manager: EntityManager,
    step: ConfirmationStep,
    reportId: number,
    now: Date,
  ): Promise<DueStep | null> {
    const c = COLUMNS[step];
    const [row] = rowsOf<{
      menu_report_id: number;
      store_id: number;
      reported_at: Date;
      due_at: Date;
      reminded_at: Date | null;
    }>(
      await manager.query(
        `SELECT menu_report_id, store_id, reported_at, ${c.due} AS due_at, reminded_at FROM report_confirmations
         WHERE menu_report_id = $1 AND status = 'unconfirmed' AND ${c.state} = 'pending' AND ${c.due} <= $2
         FOR UPDATE SKIP LOCKED`,
        [reportId, now],
      ),
    );
    return row
      ? {
          menuReportId: row.menu_report_id,
          storeId: row.store_id,
          reportedAt: new Date(row.reported_at),
          dueAt: new Date(row.due_at),
          remindedAt: row.reminded_at ? new Date(row.reminded_at) : null,
        }
      : null;
  }

  /**
   * The notifications that carry the report's step, in the transaction that queued them: a press that confirms the
   * report skips those still waiting (ConfirmationRecorder).
   */
  async remember(
    manager: EntityManager,
    reportId: number,
    notificationIds: readonly string[],
  ): Promise<void> {
    if (notificationIds.length === 0) return;
    await manager.query(
      `INSERT INTO confirmation_step_notifications (notification_id, menu_report_id)
       SELECT id, $1 FROM unnest($2::bigint[]) AS id`,
      [reportId, notificationIds],
    );
  }

  /** The step done (`sent`) or given up (`skipped`: nowhere to send it), in the transaction that queued it. */
  async mark(
    manager: EntityManager,
    step: ConfirmationStep,
    reportId: number,
    state: 'sent' | 'skipped',
    at: Date,
  ): Promise<void> {
    const c = COLUMNS[step];
    await manager.query(
      `UPDATE report_confirmations SET ${c.state} = $2, ${c.at} = $3 WHERE menu_report_id = $1`,
      [reportId, state, at],
    );
  }

  /** The report's notifications that carry buttons and nobody pressed, in id order. */
  async waiting(manager: EntityManager, reportId: number): Promise<WaitingNotification[]> {
    const rows = rowsOf<{
      notification_id: string;
      bot_id: number;
      ticket: string | null;
      buttons: ConfirmationButton[];
    }>(
      await manager.query(
        `SELECT notification_id, bot_id, ticket, buttons FROM notification_confirmations
         WHERE menu_report_id = $1 AND status = 'unconfirmed' ORDER BY notification_id`,
        [reportId],
      ),
    );
    return rows.map((row) => ({
      notificationId: String(row.notification_id),
      botId: row.bot_id,
      ticket: row.ticket,
      buttons: row.buttons,
    }));
  }
}
