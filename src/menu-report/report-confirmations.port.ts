import type { EntityManager } from 'typeorm';
import { Port, port } from '../common/port';
import type {
  ConfirmationFilter,
  NotificationConfirmationResponse,
  ReportConfirmationResponse,
} from './dto/menu-report.response';

/** A report's kitchen confirmation, and each of its notifications'. */
export interface ReportConfirmationView {
  report: ReportConfirmationResponse;
  notifications: Map<string, NotificationConfirmationResponse>;
}

/**
 * Kitchen confirmation as the reports API shows it (its tables are the kitchen-confirmation module's): a port this
 * module declares, implemented there and bound in src/composition.module.ts.
 */
export interface ReportConfirmationReader {
  /**
   * For each report id that has a confirmation, the confirmation (reports without one are left out); in `manager`'s
   * connection when given (a report's answer, before its transaction commits).
   */
  forReports(
    reportIds: readonly number[],
    manager?: EntityManager,
  ): Promise<Map<number, ReportConfirmationView>>;
  /** An SQL condition on `reportIdColumn` (a column of the caller's query) for `?confirmation=`. */
  reportCondition(reportIdColumn: string, filter: ConfirmationFilter): string;
}
export const REPORT_CONFIRMATION_READER: Port<ReportConfirmationReader> =
  port<ReportConfirmationReader>('ReportConfirmationReader');
