import { describe, expect, it } from 'vitest';
import { msUntilTimeOfDay } from './time-of-day';

const HOUR = 3_600_000;

describe('msUntilTimeOfDay', () => {
  it('waits until the hour comes round in the time zone', () => {
    // 10:00 in Shanghai (UTC+8): 04:00 is 18 hours away.
    expect(msUntilTimeOfDay(Date.UTC(2026, 10, 24, 2, 0, 0), 4, 'Asia/Shanghai')).toBe(18 * HOUR);
    // 03:59:59.500 in Shanghai: half a second.
    expect(msUntilTimeOfDay(Date.UTC(2026, 10, 23, 19, 59, 59, 500), 4, 'Asia/Shanghai')).toBe(500);
    expect(msUntilTimeOfDay(Date.UTC(2026, 10, 24, 2, 0, 0), 4, 'UTC')).toBe(2 * HOUR);
  });

  it('waits a full day when the clock reads the hour now', () => {
    expect(msUntilTimeOfDay(Date.UTC(2026, 10, 23, 20, 0, 0), 4, 'Asia/Shanghai')).toBe(24 * HOUR);
  });

  it('follows a zone that changes its clocks', () => {
    // Berlin moves from UTC+1 to UTC+2 on 2026-03-29; 04:00 local that day is 02:00 UTC.
    expect(msUntilTimeOfDay(Date.UTC(2026, 2, 28, 23, 0, 0), 4, 'Europe/Berlin')).toBe(3 * HOUR);
    // ... and back on 2026-10-25: 04:00 local is 03:00 UTC.
    expect(msUntilTimeOfDay(Date.UTC(2026, 9, 24, 22, 0, 0), 4, 'Europe/Berlin')).toBe(5 * HOUR);
  });
});
