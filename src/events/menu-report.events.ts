/** `menu_report.created`: emitted after the report and its notifications are committed. */
export interface MenuReportCreatedEvent {
  reportId: number;
  storeId: number;
  /** The notifications written with it that are waiting to be sent. */
  pendingNotificationIds: string[];
}
