import { dateTimeFormat } from '../common/date-time-format';

// The stores' day, in REPORT_TIMEZONE: which date an instant falls on, and the time of day of an instant.

/** The date (YYYY-MM-DD) in `timeZone` at the instant `at`. */
export function dayIn(at: number | Date, timeZone: string): string {
  return dateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** The time of day (HH:MM, 00:00 to 23:59) in `timeZone` at the instant `at`. */
export function timeOfDayIn(at: Date, timeZone: string): string {
  return dateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    at,
  );
}
