import { dateTimeFormat } from '../date-time-format';

const DAY_MS = 24 * 60 * 60_000;

function msSinceLocalMidnight(at: number, timeZone: string): number {
  const parts = dateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return ((part('hour') * 60 + part('minute')) * 60 + part('second')) * 1000 + (((at % 1000) + 1000) % 1000);
}

/** `ms` folded into one day, from 0 up to (not including) 24 hours. */
function withinDay(ms: number): number {
  return ((ms % DAY_MS) + DAY_MS) % DAY_MS;
}

/**
 * Milliseconds from `now` until the wall clock of `timeZone` next reads `hour`:00:00; a full day when it reads
 * that now. Across a change of the zone's clocks the wait is corrected by the change.
 */
export function msUntilTimeOfDay(now: number, hour: number, timeZone: string): number {
  const target = hour * 3_600_000;
  let wait = withinDay(target - msSinceLocalMidnight(now, timeZone)) || DAY_MS;
  // The zone's offset may differ at that moment (daylight saving): move by the difference, once.
  const drift = withinDay(msSinceLocalMidnight(now + wait, timeZone) - target + DAY_MS / 2) - DAY_MS / 2;
  wait -= drift;
  return wait > 0 ? wait : wait + DAY_MS;
}
