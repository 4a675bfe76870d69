import { describe, expect, it } from 'vitest';
import { DingTalkOutcome, OutcomeKind } from '../../dingtalk/dingtalk-outcome';
import { judgeAttempt, THROTTLE_PAUSE_MS } from './retry-policy';

const SCHEDULE = { retryScheduleMs: [5_000, 30_000, 120_000], throttlePauseMs: THROTTLE_PAUSE_MS };
const NOW = 1_000_000;
const outcome = (kind: OutcomeKind): DingTalkOutcome => ({
  kind,
  httpStatus: 200,
  errcode: kind === 'ok' ? 0 : 1,
  errmsg: kind,
  hint: kind === 'ok' ? null : `hint for ${kind}`,
  latencyMs: 3,
});

describe('judgeAttempt', () => {
  it('marks an accepted message sent', () => {
    expect(judgeAttempt(outcome('ok'), 0, SCHEDULE, NOW)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('pauses the bot for 10 minutes on a throttle without spending an attempt', () => {
    expect(judgeAttempt(outcome('throttled'), 2, SCHEDULE, NOW)).toEqual({
      status: 'pending',
      attempts: 2,
      nextAttemptAt: NOW + THROTTLE_PAUSE_MS,
      pauseBotUntil: NOW + THROTTLE_PAUSE_MS,
      hint: 'hint for throttled',
    });
  });

  it('fails a permanent error at once, with its hint', () => {
    expect(judgeAttempt(outcome('permanent'), 0, SCHEDULE, NOW)).toMatchObject({
      status: 'failed',
      attempts: 1,
      hint: 'hint for permanent',
    });
  });

  it('retries transient errors on the schedule with ±20 % jitter, then fails', () => {
    const low = () => 0;
    const high = () => 0.999999;
    expect(judgeAttempt(outcome('transient'), 0, SCHEDULE, NOW, low).nextAttemptAt).toBe(NOW + 4_000);
    expect(judgeAttempt(outcome('transient'), 0, SCHEDULE, NOW, high).nextAttemptAt).toBe(NOW + 6_000);
    expect(judgeAttempt(outcome('transient'), 1, SCHEDULE, NOW, () => 0.5)).toMatchObject({
      status: 'retrying',
      attempts: 2,
      nextAttemptAt: NOW + 30_000,
    });
    expect(judgeAttempt(outcome('token_expired'), 2, SCHEDULE, NOW, () => 0.5).nextAttemptAt).toBe(
      NOW + 120_000,
    );
    const last = judgeAttempt(outcome('transient'), 3, SCHEDULE, NOW);
    expect(last).toMatchObject({ status: 'failed', attempts: 4, nextAttemptAt: null });
    expect(last.hint).toMatch(/^Gave up after 4 attempts\. hint for transient/);
  });
});
