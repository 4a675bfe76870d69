import { Injectable } from '@nestjs/common';
import type { ReportNotificationRef } from '../events/menu-report.events';

/** Reads the notifications written for reports (they belong to the module that delivers them). */
export interface ReportNotificationsReader {
  /** For each report id given, its notifications in id order (an empty list for a report that has none). */
  forReports(reportIds: readonly number[]): Promise<Map<number, ReportNotificationRef[]>>;
}

/**
 * Where the module that delivers notifications registers its reader at start-up, so that the reports API can show
 * a report's notifications without depending on delivery (delivery depends on reports, through their event).
 */
@Injectable()
export class ReportNotificationsPort implements ReportNotificationsReader {
  private reader: ReportNotificationsReader | undefined;

  register(reader: ReportNotificationsReader): void {
    this.reader = reader;
  }

  forReports(reportIds: readonly number[]): Promise<Map<number, ReportNotificationRef[]>> {
    if (!this.reader)
      throw new Error('No ReportNotificationsReader is registered (is the notify module loaded?)');
    return this.reader.forReports(reportIds);
  }
}
