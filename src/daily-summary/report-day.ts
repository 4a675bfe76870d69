/**
 * The stores' day, in REPORT_TIMEZONE: which date an instant falls on, and the time of day of an instant. One
 * formatter per zone (building one costs far more than using it).
 */
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** The date (YYYY-MM-DD) in `timeZone` at the instant `at`. */
export function dayIn(at: number | Date, timeZone: string): string {
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dateFormats.set(timeZone, format);
  }
  return format.format(at);
}

/** The time of day (HH:MM, 00:00 to 23:59) in `timeZone` at the instant `at`. */
export function timeOfDayIn(at: Date, timeZone: string): string {
  let format = timeFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    timeFormats.set(timeZone, format);
  }
  return format.format(at);
}
