import { dateTimeFormat } from '../common/date-time-format';

// The stores' day, in REPORT_TIMEZONE: which date an instant falls on (a message's time of day: timeOfDayIn in
// notify/messages/message-text.ts).

/** The date (YYYY-MM-DD) in `timeZone` at the instant `at`. */
export function dayIn(at: number | Date, timeZone: string): string {
  return dateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
