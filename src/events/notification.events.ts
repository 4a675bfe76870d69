/** What became of a notification; part of the events' payloads, so defined here with them. */
export const NOTIFICATION_STATUSES = ['pending', 'retrying', 'sent', 'failed', 'merged', 'skipped'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** `notifications.queued`: rows committed outside a menu report (batch send, resend), ready for the dispatcher. */
export interface NotificationsQueuedEvent {
  readonly notificationIds: readonly string[];
  readonly botIds: readonly number[];
}
