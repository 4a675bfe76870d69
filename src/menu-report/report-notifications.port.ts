import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
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
   * transaction is open around it. `afterCommit` is for once that statement's transaction has committed.
   */
  write(
    manager: EntityManager,
    report: ReportedDish,
    row: ReportRowWrite,
  ): Promise<{ notifications: ReportNotificationRef[]; afterCommit: () => void }>;
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
 * Where the module that delivers notifications registers its reader and writer at start-up, so that the reports API
 * can show and write a report's notifications without depending on delivery (delivery depends on reports).
 *
 * Why a port and not an event emitted after the report's INSERT: the report and its notifications are one statement
 * (two round trips a report: the read of its store's bots, then that write), which an event after the write cannot join.
 */
@Injectable()
export class ReportNotificationsPort implements ReportNotificationsReader, ReportNotificationsWriter {
  private reader: ReportNotificationsReader | undefined;
  private writer: ReportNotificationsWriter | undefined;

  register(handler: ReportNotificationsReader & ReportNotificationsWriter): void {
    this.reader = handler;
    this.writer = handler;
  }

  forReports(reportIds: readonly number[]): Promise<Map<number, ReportNotificationRef[]>> {
    if (!this.reader)
      throw new Error('No ReportNotificationsReader is registered (is the notify module loaded?)');
    return this.reader.forReports(reportIds);
  }

  prepare(manager: EntityManager, storeId: number): Promise<PreparedReportNotifications> {
    if (!this.writer)
      throw new Error('No ReportNotificationsWriter is registered (is the notify module loaded?)');
    return this.writer.prepare(manager, storeId);
  }
}
