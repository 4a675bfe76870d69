import { describe, expect, it } from 'vitest';
import { authRetryDelayMs, RECONNECT_CAP_MS, reconnectDelayMs } from './reconnect-backoff';

describe('reconnectDelayMs', () => {
  it('starts near one second and doubles', () => {
    expect(reconnectDelayMs(0, () => 1)).toBe(1_000);
    expect(reconnectDelayMs(1, () => 1)).toBe(2_000);
    expect(reconnectDelayMs(5, () => 1)).toBe(32_000);
  });

  it('never exceeds the 60 s cap, however many attempts failed', () => {
    for (const attempt of [6, 7, 20, 1_000])
      expect(reconnectDelayMs(attempt, () => 1)).toBe(RECONNECT_CAP_MS);
  });

  it('takes up to half off as jitter', () => {
    expect(reconnectDelayMs(0, () => 0)).toBe(500);
    expect(reconnectDelayMs(10, () => 0)).toBe(30_000);
    const delays = new Set(Array.from({ length: 50 }, () => reconnectDelayMs(3)));
    expect(delays.size).toBeGreaterThan(1);
    for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(4_000);
  });

  it('retries refused credentials after about five minutes', () => {
    expect(authRetryDelayMs(() => 0)).toBe(270_000);
    expect(authRetryDelayMs(() => 1)).toBe(330_000);
  });
});
