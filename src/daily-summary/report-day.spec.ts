import { describe, expect, it } from 'vitest';
import { timeOfDayIn } from '../notify/messages/message-text';
import { dayIn } from './report-day';

describe('the stores’ day', () => {
  it('dates an instant in the stores’ time zone, not in UTC', () => {
    // 16:00 UTC is midnight in Shanghai: the next day there.
    expect(dayIn(Date.UTC(2026, 10, 24, 15, 59, 59), 'Asia/Shanghai')).toBe('2026-11-24');
    expect(dayIn(Date.UTC(2026, 10, 24, 16, 0, 0), 'Asia/Shanghai')).toBe('2026-11-25');
    expect(dayIn(Date.UTC(2026, 10, 24, 16, 0, 0), 'UTC')).toBe('2026-11-24');
  });

  it('gives the time of day as HH:MM, midnight as 00:00', () => {
    expect(timeOfDayIn(new Date(Date.UTC(2026, 10, 24, 16, 0)), 'Asia/Shanghai')).toBe('00:00');
    expect(timeOfDayIn(new Date(Date.UTC(2026, 10, 24, 13, 5)), 'Asia/Shanghai')).toBe('21:05');
  });
});
