import { dateTimeFormat } from '../../common/date-time-format';

/*
 * How every message the service writes puts a staff member's words and a report's figures into its text.
 */

/** A dish as a message names it: its name (and number), or its number alone. */
export function dishLabel(dish: { dishId: number | null; dishName: string | null }): string {
  if (dish.dishName && dish.dishId !== null) return `${oneLine(dish.dishName)}（#${dish.dishId}）`;
  if (dish.dishName) return oneLine(dish.dishName);
  return `菜品 #${dish.dishId}`;
}

/** 50.000 → "50", 2.500 → "2.5". */
export function formatQuantity(quantity: number): string {
  return String(Number(quantity.toFixed(3)));
}

/** Free text from staff must not break the message's layout: one line, no markdown heading or quote. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The time of day (HH:MM, 00:00 to 23:59) in `timeZone` at the instant `at`. */
export function timeOfDayIn(at: Date, timeZone: string): string {
  return dateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    at,
  );
}
