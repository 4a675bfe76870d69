import type { EntityManager } from 'typeorm';
import { Port, port } from '../common/port';
import type { ReportedDish, ReportNotificationRef } from '../events/menu-report.events';

/** Reads the notifications written for reports (they belong to the module that delivers them). */
export interface ReportNotificationsReader {
  /** For each report id given, its notifications in id order (an empty list for a report that has none). */
  forReports(reportIds: readonly number[]): Promise<Map<number, ReportNotificationRef[]>>;
}

/** The report's own row, as the first write of the statement that also writes its notifications. */
export interface ReportRowWrite {
  /** Names the combined statement (prepared once per connection). */
  name: string;
  /** The CTE that inserts the report (`report AS (INSERT …)`), its parameters numbered from `first` on. */
  cte(first: number): string;
  params: readonly unknown[];
}

/** What a report's notifications need, read before the report is written (ReportNotificationsWriter.prepare). */
export interface PreparedReportNotifications {
  /** The id the report gets (from menu_reports' own sequence): its messages carry it. */
  reportId: number;
  /**
   * Writes the report (`row`) and its notifications in ONE statement: both commit, or neither, whether or not a
   * transaction is open around it. Answers the notifications written; once they are committed, delivery takes
   * them without anything more from the caller.
   */
  write(manager: EntityManager, report: ReportedDish, row: ReportRowWrite): Promise<ReportNotificationRef[]>;
}

/** Writes the notifications of a new report, with the report itself (the module that delivers them knows how). */
export interface ReportNotificationsWriter {
  /**
   * One statement: the report's id, and what its notifications need (its store's enabled bots). Read before the
   * write, as the report's transaction would read it (READ COMMITTED).
   */
  prepare(manager: EntityManager, storeId: number): Promise<PreparedReportNotifications>;
}

/**
 * The notifications of menu reports: a port this module declares, implemented by the module that delivers them
 * (notify/report-notifications.ts) and bound in src/composition.module.ts, so that the reports API can show and
 * write a report's notifications without depending on delivery (delivery depends on reports).
 *
 * Why a port and not an event emitted after the report's INSERT: the report and its notifications are one statement
 * (two round trips a report: the read of its store's bots, then that write), which an event after the write cannot join.
 */
export type ReportNotificationsPort = ReportNotificationsReader & ReportNotificationsWriter;
export const REPORT_NOTIFICATIONS: Port<ReportNotificationsPort> =
  port<ReportNotificationsPort>('ReportNotifications');
