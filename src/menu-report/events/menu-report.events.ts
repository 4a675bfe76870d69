/** Emitted after the report and its notifications are committed (SPEC §6). */
export interface MenuReportCreatedEvent {
  reportId: number;
  storeId: number;
  /** The notifications written with it that are waiting to be sent. */
  pendingNotificationIds: string[];
}
