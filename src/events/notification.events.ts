/** What became of a notification; part of the events' payloads, so defined here with them. */
export const NOTIFICATION_STATUSES = ['pending', 'retrying', 'sent', 'failed', 'merged', 'skipped'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];
