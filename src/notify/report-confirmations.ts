import type { EntityManager } from 'typeorm';
import { Port, port } from '../common/port';
import type { ColumnRead } from '../database/column-read';
import type { ReportedDish } from '../events/menu-report.events';
import type {
  ConfirmationFilter,
  NotificationConfirmationResponse,
} from '../menu-report/dto/menu-report.response';

/** A button a confirmable report offers: its action id (a card's actionId, a link's action) and its label. */
export interface PlannedButton {
  action: string;
  label: string;
}

/** What a store's kitchen confirmation asks of its reports' notifications (null when it is off). */
export interface ConfirmationPlan {
  storeId: number;
  buttons: readonly PlannedButton[];
  reminderAfterMinutes: number | null;
  escalationAfterMinutes: number | null;
}

/** Each bot's notification of a report: confirmable with buttons, or not, and why. */
export interface ConfirmationRequest {
  notificationId: string;
  botId: number;
  status: 'unconfirmed' | 'not_requested';
  /** Why the bot's notification carries no buttons (not_requested). */
  reason: string | null;
  /** A webhook bot's link ticket (notify/messages/confirmation-link.ts); null for a card or no buttons. */
  ticket: string | null;
  buttons: readonly PlannedButton[];
}

/**
 * What a report's notifications need from kitchen confirmation (its tables are the kitchen-confirmation module's):
 * a port this module declares, implemented there and bound in src/composition.module.ts (kitchen-confirmation
 * depends on notify: it sends its reminders through the outbox).
 */
export interface ReportConfirmations {
  /**
   * The store's confirmation (null when it is off), keyed by the store's id: read in the statement that reads the
   * report's bots (ReportBots), not in a round trip of its own.
   */
  readonly planOfStore: ColumnRead<ConfirmationPlan | null>;
  /**
   * In the report's transaction, after its notifications are written: the report's confirmation and one per bot's
   * notification, with the reminder and escalation due by the plan's deadlines.
   */
  open(
    manager: EntityManager,
    plan: ConfirmationPlan,
    report: Pick<ReportedDish, 'id' | 'storeId' | 'createdAt'>,
    requests: readonly ConfirmationRequest[],
  ): Promise<void>;
  /** The delivery log's view: each of these notifications' confirmation (those without one left out). */
  forNotifications(ids: readonly string[]): Promise<Map<string, NotificationConfirmationResponse>>;
  /** An SQL condition on `notificationIdColumn` (a column of the caller's query) for `?confirmation=`. */
  notificationCondition(notificationIdColumn: string, filter: ConfirmationFilter): string;
}
export const REPORT_CONFIRMATIONS: Port<ReportConfirmations> =
  port<ReportConfirmations>('ReportConfirmations');
