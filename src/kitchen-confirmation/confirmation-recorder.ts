import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { rowsOf } from '../database/query-rows';
import { ConfirmationMetrics } from './confirmation.metrics';
import {
  ConfirmationButton,
  ConfirmationClick,
  ConfirmationRefused,
  ConfirmationState,
  RecordedClick,
} from './confirmation-state';

export type { ConfirmationClick, ConfirmationState, RecordedClick };

interface NotificationRow {
  notification_id: string;
  menu_report_id: number;
  store_id: number;
  status: 'unconfirmed' | 'confirmed' | 'not_requested';
  buttons: ConfirmationButton[];
  action: string | null;
  by_user_id: string | null;
  by_name: string | null;
  confirmed_at: Date | null;
  action_at: Date | null;
}

/**
 * A confirmed report's reminder and escalation messages still waiting in the delivery queue (pending or waiting for
 * a retry, no live lease: queue-conditions.ts WAITING and LEASE_FREE) are skipped, saying why: they would tell of an
 * unconfirmed report. One on its way (leased) goes. SKIP LOCKED: a row a claim is leasing at this moment is as good
 * as on its way, and the press does not wait for (or deadlock with) the delivery queue.
 */
const SKIP_WAITING_STEPS = `
  WITH waiting AS (
    SELECT n.id FROM notifications n
    JOIN confirmation_step_notifications s ON s.notification_id = n.id
    WHERE s.menu_report_id = $1 AND n.status IN ('pending', 'retrying')
      AND (n.lease_expires_at IS NULL OR n.lease_expires_at <= now())
    ORDER BY n.id
    FOR UPDATE OF n SKIP LOCKED)
  UPDATE notifications n
  SET status = 'skipped', lease_owner = NULL, lease_expires_at = NULL, claim = NULL, updated_at = $2,
      hint = 'Not sent: its report was confirmed before this ' || n.kind || ' went (docs/confirmation.md).'
  FROM waiting WHERE n.id = waiting.id`;

const LOCK_NOTIFICATION = `
  SELECT notification_id, menu_report_id, store_id, status, buttons, action, by_user_id, by_name, confirmed_at,
         action_at
  FROM notification_confirmations WHERE notification_id = $1 FOR UPDATE`;

/**
 * Records a press of a confirmation button (a card's, a link's), exactly once: in one transaction, the press is
 * written under its dedupe key (a primary key: a redelivery, another instance's copy of the same callback, or a
 * second POST of the same link finds it there and changes nothing), the notification's confirmation moves, and so
 * does its report's, whose reminder and escalation still pending are cancelled in the same commit (the job that
 * sends them locks the report's row too, so a press and a reminder never both win), and whose reminder and
 * escalation messages still waiting in the delivery queue are skipped.
 *
 * What a press does (docs/confirmation.md): the first press of any offered button confirms the notification, and its
 * report if nobody confirmed another of its notifications first. A later press of a button further along the list
 * (收到, then 已备好) moves the action forward, with who pressed it and when; a press of the same or an earlier
 * button changes nothing (recorded: false), so two people pressing 收到 at once count once.
 */
@Injectable()
export class ConfirmationRecorder {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly metrics: ConfirmationMetrics,
  ) {}

  async record(click: ConfirmationClick): Promise<RecordedClick> {
    if (!/^\d{1,19}$/.test(click.notificationId)) {
      throw new ConfirmationRefused('not_found', `Notification ${click.notificationId} has no confirmation`);
    }
    const now = new Date(this.clock.now());
    const outcome = await this.dataSource.transaction((manager) => this.inTransaction(manager, click, now));
    if (outcome.firstOfReport) this.metrics.confirmed(click.via, outcome.secondsToConfirm);
    return { recorded: outcome.recorded, state: outcome.state };
  }

  private async inTransaction(
    manager: EntityManager,
    click: ConfirmationClick,
    now: Date,
  ): Promise<{
    recorded: boolean;
    state: ConfirmationState;
    firstOfReport: boolean;
    secondsToConfirm: number;
  }> {
    // The notification's row first (every press of it waits here for the one before), then its report's.
    const [row] = rowsOf<NotificationRow>(await manager.query(LOCK_NOTIFICATION, [click.notificationId]));
    if (!row) {
      throw new ConfirmationRefused('not_found', `Notification ${click.notificationId} has no confirmation`);
    }
    if (row.status === 'not_requested') {
      throw new ConfirmationRefused(
        'not_requested',
        `Notification ${click.notificationId} asks for no confirmation`,
      );
    }
    const position = row.buttons.findIndex((button) => button.action === click.action);
    if (position < 0) {
      throw new ConfirmationRefused(
        'unknown_action',
        `Notification ${click.notificationId} has no button "${click.action}"`,
      );
    }
    const current = row.action === null ? -1 : row.buttons.findIndex((b) => b.action === row.action);
    const effect = row.status === 'unconfirmed' ? 'confirmed' : position > current ? 'advanced' : 'ignored';
    const inserted = rowsOf(
      await manager.query(
        `INSERT INTO confirmation_clicks (dedupe_key, notification_id, action, user_id, user_name, via, effect,
                                          clicked_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (dedupe_key) DO NOTHING RETURNING dedupe_key`,
        [
          click.dedupeKey.slice(0, 200),
          click.notificationId,
          click.action,
          click.userId.slice(0, 64),
          click.userName?.slice(0, 100) ?? null,
          click.via,
          effect,
          now,
        ],
      ),
    );
    // A press seen before (its dedupe key is there): the state as it is, nothing moved.
    if (inserted.length === 0 || effect === 'ignored') {
      return { recorded: false, state: stateOf(row), firstOfReport: false, secondsToConfirm: 0 };
    }
    const by = { userId: click.userId.slice(0, 64), name: click.userName?.slice(0, 100) ?? null };
    const [updated] = rowsOf<NotificationRow>(
      await manager.query(
        `UPDATE notification_confirmations
         SET status = 'confirmed', action = $2, by_user_id = $3, by_name = $4, via = $5, action_at = $6,
             confirmed_at = COALESCE(confirmed_at, $6)
         WHERE notification_id = $1
         RETURNING notification_id, menu_report_id, store_id, status, buttons, action, by_user_id, by_name,
                   confirmed_at, action_at`,
        [click.notificationId, click.action, by.userId, by.name, click.via, now],
      ),
    );
    const report = await this.moveReport(manager, updated, click, position, now);
    return { recorded: true, state: stateOf(updated), ...report };
  }

  /**
   * The report follows its notifications: confirmed by the first press on any of them (its pending reminder and
   * escalation cancelled), its action moved forward by a later button on any of them.
   */
  private async moveReport(
    manager: EntityManager,
    row: NotificationRow,
    click: ConfirmationClick,
    position: number,
    now: Date,
  ): Promise<{ firstOfReport: boolean; secondsToConfirm: number }> {
    const [report] = rowsOf<{ status: string; action: string | null; reported_at: Date }>(
      await manager.query(
        `SELECT status, action, reported_at FROM report_confirmations WHERE menu_report_id = $1 FOR UPDATE`,
        [row.menu_report_id],
      ),
    );
    if (!report) return { firstOfReport: false, secondsToConfirm: 0 };
    const by = [row.by_user_id, row.by_name, click.via, now];
    if (report.status !== 'confirmed') {
      await manager.query(
        `UPDATE report_confirmations
         SET status = 'confirmed', confirmed_at = $6, confirmed_notification_id = $2, action = $3,
             by_user_id = $4, by_name = $5, via = $7, action_at = $6,
             reminder_state = CASE WHEN reminder_state = 'pending' THEN 'cancelled' ELSE reminder_state END,
             escalation_state = CASE WHEN escalation_state = 'pending' THEN 'cancelled' ELSE escalation_state END
         WHERE menu_report_id = $1`,
        [row.menu_report_id, row.notification_id, click.action, by[0], by[1], now, click.via],
      );
      await manager.query(SKIP_WAITING_STEPS, [row.menu_report_id, now]);
      const seconds = Math.max(0, (now.getTime() - new Date(report.reported_at).getTime()) / 1000);
      return { firstOfReport: true, secondsToConfirm: seconds };
    }
    // Confirmed already (perhaps on another bot's notification): the action only moves forward, by the order of
    // this notification's buttons (a report's notifications offer the same buttons: its store's).
    const reportPosition = row.buttons.findIndex((button) => button.action === report.action);
    if (position > reportPosition) {
      await manager.query(
        `UPDATE report_confirmations SET action = $2, by_user_id = $3, by_name = $4, via = $5, action_at = $6
         WHERE menu_report_id = $1`,
        [row.menu_report_id, click.action, by[0], by[1], click.via, now],
      );
    }
    return { firstOfReport: false, secondsToConfirm: 0 };
  }

  /** A notification's confirmation as it stands, or null when it has none (or asks for none). */
  async stateOf(notificationId: string): Promise<ConfirmationState | null> {
    if (!/^\d{1,19}$/.test(notificationId)) return null;
    const [row] = rowsOf<NotificationRow>(
      await this.dataSource.query(
        `SELECT notification_id, menu_report_id, store_id, status, buttons, action, by_user_id, by_name,
                confirmed_at, action_at
         FROM notification_confirmations WHERE notification_id = $1 AND status <> 'not_requested'`,
        [notificationId],
      ),
    );
    return row ? stateOf(row) : null;
  }
}

function stateOf(row: NotificationRow): ConfirmationState {
  return {
    notificationId: String(row.notification_id),
    menuReportId: row.menu_report_id,
    storeId: row.store_id,
    status: row.status === 'confirmed' ? 'confirmed' : 'unconfirmed',
    action: row.action,
    byUserId: row.by_user_id,
    byName: row.by_name,
    at: row.action_at ? new Date(row.action_at) : null,
    confirmedAt: row.confirmed_at ? new Date(row.confirmed_at) : null,
  };
}
