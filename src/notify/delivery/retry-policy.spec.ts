import { describe, expect, it } from 'vitest';
import { DingTalkOutcome, OutcomeKind } from '../../dingtalk/dingtalk-outcome';
import { DINGTALK_HINTS } from '../../dingtalk/dingtalk-hints';
import { classifyNewApiAnswer } from '../../dingtalk/new-api-answers';
import { classifyOldApiAnswer } from '../../dingtalk/old-api-answers';
import {
  judgeAttempt,
  judgeOnlyAttempt,
  nextQuotaMonth,
  NOT_RETRIED,
  THROTTLE_PAUSE_MS,
} from './retry-policy';

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
      pause: { scope: 'robot', ms: THROTTLE_PAUSE_MS },
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

describe('pauses a throttle answer asks for', () => {
  const POLICY = { ...SCHEDULE, ipBlockPauseMs: 300_000, maxRetryAfterMs: 3_600_000 };
  const limited = (scope: 'robot' | 'app' | 'cluster', forMs: number | null): DingTalkOutcome => ({
    ...outcome('throttled'),
    pause: { scope, forMs },
  });

  it("honours a robot's Retry-After, cut to the configured maximum and never under a second", () => {
    expect(judgeAttempt(limited('robot', 30_000), 0, POLICY, NOW)).toMatchObject({
      status: 'pending',
      attempts: 0,
      nextAttemptAt: NOW + 30_000,
      pause: { scope: 'robot', ms: 30_000 },
    });
    expect(judgeAttempt(limited('robot', 86_400_000), 0, POLICY, NOW).pause).toEqual({
      scope: 'robot',
      ms: 3_600_000,
    });
    expect(judgeAttempt(limited('robot', 0), 0, POLICY, NOW).pause).toEqual({ scope: 'robot', ms: 1_000 });
  });

  it('an IP block pauses the cluster for its wait, or the configured block', () => {
    expect(judgeAttempt(limited('cluster', null), 1, POLICY, NOW)).toMatchObject({
      attempts: 1,
      pause: { scope: 'cluster', ms: 300_000 },
    });
    expect(judgeAttempt(limited('cluster', 120_000), 1, POLICY, NOW).pause).toEqual({
      scope: 'cluster',
      ms: 120_000,
    });
  });

  it('a used-up organisation quota pauses the app until next month begins in China time', () => {
    // 2026-11-30 20:00 UTC is already 1 December 04:00 in Shanghai: the quota resets on 1 January.
    const lateNovemberUtc = Date.UTC(2026, 10, 30, 20, 0, 0);
    expect(nextQuotaMonth(lateNovemberUtc)).toBe(Date.UTC(2026, 11, 31, 16, 0, 0));
    expect(nextQuotaMonth(Date.UTC(2026, 10, 15))).toBe(Date.UTC(2026, 10, 30, 16, 0, 0));
    const verdict = judgeAttempt(limited('app', null), 2, POLICY, lateNovemberUtc);
    expect(verdict).toMatchObject({ status: 'pending', attempts: 2, pause: { scope: 'app' } });
    expect(verdict.nextAttemptAt).toBe(Date.UTC(2026, 11, 31, 16, 0, 0));
  });
});

describe('judgeOnlyAttempt (a test message: tried once)', () => {
  it('marks an accepted message sent, and fails anything else at once', () => {
    expect(judgeOnlyAttempt(outcome('ok'), SCHEDULE, NOW)).toMatchObject({ status: 'sent', attempts: 1 });
    for (const kind of ['transient', 'token_expired'] as const) {
      expect(judgeOnlyAttempt(outcome(kind), SCHEDULE, NOW)).toEqual({
        status: 'failed',
        attempts: 1,
        nextAttemptAt: null,
        pause: null,
        hint: `hint for ${kind} ${NOT_RETRIED}`,
      });
    }
    // A permanent answer's hint says what to fix; it promised nothing.
    expect(judgeOnlyAttempt(outcome('permanent'), SCHEDULE, NOW)).toEqual({
      status: 'failed',
      attempts: 1,
      nextAttemptAt: null,
      pause: null,
      hint: 'hint for permanent',
    });
  });

  it('still pauses the robot on a throttle, as any send does', () => {
    expect(judgeOnlyAttempt(outcome('throttled'), SCHEDULE, NOW)).toEqual({
      status: 'failed',
      attempts: 1,
      nextAttemptAt: null,
      pause: { scope: 'robot', ms: THROTTLE_PAUSE_MS },
      hint: `hint for throttled ${NOT_RETRIED}`,
    });
  });

  it("keeps DingTalk's reason and drops every promise to try again, which nobody keeps for a test", () => {
    const answer = (json: unknown) => ({ status: 200, json, latencyMs: 3 });
    const hints = [
      ...Object.values(DINGTALK_HINTS),
      classifyOldApiAnswer(answer({ errcode: 123456, errmsg: 'odd' })).hint,
      classifyNewApiAnswer({ ...answer({ code: 'odd.code', message: 'odd' }), status: 400 }).hint,
    ];
    for (const hint of hints) {
      const judged = judgeOnlyAttempt({ ...outcome('transient'), hint }, SCHEDULE, NOW).hint!;
      const reason = judged.slice(0, -NOT_RETRIED.length).trim();
      expect(judged.endsWith(NOT_RETRIED), judged).toBe(true);
      expect(reason, hint!).not.toMatch(/retries|tried again|fetches a new/i);
      expect(hint!.startsWith(reason.slice(0, -1)), `${hint} → ${reason}`).toBe(true);
    }
    expect(judgeOnlyAttempt({ ...outcome('transient'), hint: DINGTALK_HINTS.busy }, SCHEDULE, NOW).hint).toBe(
      `DingTalk is busy or had a server error. ${NOT_RETRIED}`,
    );
  });
});
