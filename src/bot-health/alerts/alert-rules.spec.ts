import { describe, expect, it } from 'vitest';
import { AlertingState, dueAlert } from './alert-rules';

const timing = { quietPeriodMs: 30_000, reminderMs: 86_400_000 };
const state = (fields: Partial<AlertingState>): AlertingState => ({
  health: 'healthy',
  since: 0,
  alertedBroken: false,
  alertedAt: null,
  ...fields,
});

describe('dueAlert', () => {
  it('alerts a bot broken for the quiet period, not before, and never a degraded one', () => {
    expect(dueAlert(state({ health: 'broken', since: 1_000 }), 30_999, timing)).toBeNull();
    expect(dueAlert(state({ health: 'broken', since: 1_000 }), 31_000, timing)).toBe('broken');
    expect(dueAlert(state({ health: 'degraded', since: 0 }), 999_999, timing)).toBeNull();
  });

  it('tells nothing more while an alerted bot stays broken, until the reminder is due', () => {
    const alerted = state({ health: 'broken', since: 0, alertedBroken: true, alertedAt: 40_000 });
    expect(dueAlert(alerted, 86_439_999, timing)).toBeNull();
    expect(dueAlert(alerted, 86_440_000, timing)).toBe('still_broken');
    expect(dueAlert({ ...alerted, health: 'degraded' }, 86_440_000, timing)).toBe('still_broken');
  });

  it('tells a recovery once it has lasted the quiet period', () => {
    const mended = state({ health: 'healthy', since: 100_000, alertedBroken: true, alertedAt: 40_000 });
    expect(dueAlert(mended, 129_999, timing)).toBeNull();
    expect(dueAlert(mended, 130_000, timing)).toBe('recovered');
  });

  it('alerts at once with no quiet period', () => {
    expect(dueAlert(state({ health: 'broken', since: 5 }), 5, { ...timing, quietPeriodMs: 0 })).toBe(
      'broken',
    );
  });
});
