/** `notifications.queued`: rows committed outside a menu report (batch send, resend), ready for the dispatcher. */
export interface NotificationsQueuedEvent {
  notificationIds: string[];
  botIds: number[];
}
