import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { ColumnRead } from '../database/column-read';
import { rowsOf } from '../database/query-rows';
import type { ReportedDish } from '../events/menu-report.events';
import type {
  ConfirmationFilter,
  ConfirmationStepState,
  NotificationConfirmationResponse,
  NotificationConfirmationStatus,
  ReportConfirmationResponse,
} from '../menu-report/dto/menu-report.response';
import type {
  ReportConfirmationReader,
  ReportConfirmationView,
} from '../menu-report/report-confirmations.port';
import type {
  ConfirmationPlan,
  ConfirmationRequest,
  ReportConfirmations,
} from '../notify/report-confirmations';

const MINUTE_MS = 60_000;

interface NotificationRow {
  notification_id: string;
  menu_report_id: number;
  status: NotificationConfirmationStatus;
  reason: string | null;
  action: string | null;
  by_user_id: string | null;
  by_name: string | null;
  via: 'card' | 'link' | null;
  confirmed_at: Date | null;
  action_at: Date | null;
}

interface ReportRow {
  menu_report_id: number;
  status: NotificationConfirmationStatus;
  reported_at: Date;
  confirmed_at: Date | null;
  action: string | null;
  by_user_id: string | null;
  by_name: string | null;
  via: 'card' | 'link' | null;
  reminder_due_at: Date | null;
  reminder_state: ConfirmationStepState;
  escalation_due_at: Date | null;
  escalation_state: ConfirmationStepState;
}

const iso = (at: Date | null): string | null => (at ? new Date(at).toISOString() : null);

/**
 * The confirmation rows of reports and their notifications (docs/confirmation.md): written with the report (the
 * planner's ReportConfirmations port), read for the reports API and the delivery log (their ports).
 */
@Injectable()
export class ConfirmationRepository implements ReportConfirmations, ReportConfirmationReader {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  readonly planOfStore: ColumnRead<ConfirmationPlan | null> = {
    name: 'confirmation-plan',
    // At most one row (store_id is the table's key), as one json value: NULL when the store has none or it is off.
    sql: (storeIdParam) =>
      `(SELECT json_build_object('storeId', store_id, 'buttons', buttons,
                                 'reminderAfterMinutes', reminder_after_minutes,
                                 'escalationAfterMinutes', escalation_after_minutes)
        FROM confirmation_settings WHERE store_id = ${storeIdParam} AND enabled)`,
    parse: (value) => (value as ConfirmationPlan | null) ?? null,
  };

  /**
   * One statement: the report's row (unconfirmed when any notification carries buttons, its reminder and escalation
   * due by the plan's deadlines from the report's time; else not_requested, nothing due), and each notification's.
   */
  async open(
    manager: EntityManager,
    plan: ConfirmationPlan,
    report: Pick<ReportedDish, 'id' | 'storeId' | 'createdAt'>,
    requests: readonly ConfirmationRequest[],
  ): Promise<void> {
    if (requests.length === 0) return;
    const asks = requests.some((request) => request.status === 'unconfirmed');
    const due = (minutes: number | null) =>
      asks && minutes !== null ? new Date(report.createdAt.getTime() + minutes * MINUTE_MS) : null;
    const reminderDue = due(plan.reminderAfterMinutes);
    const escalationDue = due(plan.escalationAfterMinutes);
    await manager.query(
      `WITH report AS (
         INSERT INTO report_confirmations (menu_report_id, store_id, status, reported_at, reminder_due_at,
                                           reminder_state, escalation_due_at, escalation_state)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING menu_report_id)
       INSERT INTO notification_confirmations (notification_id, menu_report_id, store_id, bot_id, status, reason,
                                               ticket, buttons)
       SELECT n.id, report.menu_report_id, $2, n.bot_id, n.status, n.reason, n.ticket, n.buttons::jsonb
       FROM report, unnest($9::bigint[], $10::integer[], $11::text[], $12::text[], $13::text[], $14::text[])
            AS n(id, bot_id, status, reason, ticket, buttons)`,
      [
        report.id,
        report.storeId,
        asks ? 'unconfirmed' : 'not_requested',
        report.createdAt,
        reminderDue,
        reminderDue ? 'pending' : 'none',
        escalationDue,
        escalationDue ? 'pending' : 'none',
        requests.map((r) => r.notificationId),
        requests.map((r) => r.botId),
        requests.map((r) => r.status),
        requests.map((r) => r.reason),
        requests.map((r) => r.ticket),
        requests.map((r) => JSON.stringify(r.buttons)),
      ],
    );
  }

  async forReports(
    reportIds: readonly number[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<number, ReportConfirmationView>> {
    const views = new Map<number, ReportConfirmationView>();
    if (reportIds.length === 0) return views;
    const reports = rowsOf<ReportRow>(
      await manager.query(`SELECT * FROM report_confirmations WHERE menu_report_id = ANY($1::integer[])`, [
        [...reportIds],
      ]),
    );
    if (reports.length === 0) return views;
    for (const row of reports)
      views.set(row.menu_report_id, { report: reportView(row), notifications: new Map() });
    const notifications = rowsOf<NotificationRow>(
      await manager.query(
        `SELECT * FROM notification_confirmations WHERE menu_report_id = ANY($1::integer[])`,
        [reports.map((row) => row.menu_report_id)],
      ),
    );
    for (const row of notifications) {
      views.get(row.menu_report_id)?.notifications.set(String(row.notification_id), notificationView(row));
    }
    return views;
  }

  async forNotifications(ids: readonly string[]): Promise<Map<string, NotificationConfirmationResponse>> {
    if (ids.length === 0) return new Map();
    const rows = rowsOf<NotificationRow>(
      await this.dataSource.query(
        `SELECT * FROM notification_confirmations WHERE notification_id = ANY($1::bigint[])`,
        [[...ids]],
      ),
    );
    return new Map(rows.map((row) => [String(row.notification_id), notificationView(row)]));
  }

  /** The filter's value is one of CONFIRMATION_FILTERS (validated): written into the condition, not a parameter. */
  reportCondition(reportIdColumn: string, filter: ConfirmationFilter): string {
    return `EXISTS (SELECT 1 FROM report_confirmations rc
                    WHERE rc.menu_report_id = ${reportIdColumn} AND rc.status = '${statusOf(filter)}')`;
  }

  notificationCondition(notificationIdColumn: string, filter: ConfirmationFilter): string {
    return `EXISTS (SELECT 1 FROM notification_confirmations nc
                    WHERE nc.notification_id = ${notificationIdColumn} AND nc.status = '${statusOf(filter)}')`;
  }
}

function statusOf(filter: ConfirmationFilter): 'confirmed' | 'unconfirmed' {
  return filter === 'confirmed' ? 'confirmed' : 'unconfirmed';
}

function reportView(row: ReportRow): ReportConfirmationResponse {
  return {
    status: row.status,
    action: row.action,
    by_user_id: row.by_user_id,
    by_name: row.by_name,
    via: row.via,
    confirmed_at: iso(row.confirmed_at),
    seconds_to_confirm: row.confirmed_at
      ? Math.round((new Date(row.confirmed_at).getTime() - new Date(row.reported_at).getTime()) / 1000)
      : null,
    reminder_due_at: iso(row.reminder_due_at),
    reminder: row.reminder_state,
    escalation_due_at: iso(row.escalation_due_at),
    escalation: row.escalation_state,
  };
}

function notificationView(row: NotificationRow): NotificationConfirmationResponse {
  return {
    status: row.status,
    reason: row.reason,
    action: row.action,
    by_user_id: row.by_user_id,
    by_name: row.by_name,
    via: row.via,
    confirmed_at: iso(row.confirmed_at),
    action_at: iso(row.action_at),
  };
}
