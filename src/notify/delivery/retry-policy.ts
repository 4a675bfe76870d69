import { DeliveryConfig } from '../../config/app-config';
import { DingTalkOutcome } from '../../dingtalk/dingtalk-outcome';
import { NotificationStatus } from '../../events/notification.events';

/** DingTalk throttles a robot for 10 minutes once it goes over its rate (docs/dingtalk/custom-robot.md). */
export const THROTTLE_PAUSE_MS = 10 * 60_000;

/** What judgeAttempt needs of the delivery configuration. */
export type RetryPolicy = Pick<DeliveryConfig, 'retryScheduleMs' | 'throttlePauseMs'>;

/** ±20 %: notifications that failed together do not all come back at the same instant. */
const JITTER = 0.2;

/** What becomes of a notification after one attempt. */
export interface AttemptVerdict {
  status: NotificationStatus;
  /** Attempts spent so far; a throttled answer spends none. */
  attempts: number;
  /** When to try again (pending/retrying), in clock milliseconds. */
  nextAttemptAt: number | null;
  /** Set when DingTalk throttled the bot: no message goes to it before then. */
  pauseBotUntil: number | null;
  hint: string | null;
}

/**
 * The retry rules of the README's "Delivery" section as a pure function: ok → sent; throttled → back to pending behind a pause of the bot (DingTalk's
 * 10 minutes, `throttlePauseMs`), no attempt spent; transient (and a token refused even after a fresh one) → retry
 * after the schedule's next wait with jitter, failed when the schedule runs out; permanent → failed at once, with
 * the hint. `retryScheduleMs[i]` is the wait after the (i+1)-th failed attempt.
 */
export function judgeAttempt(
  outcome: DingTalkOutcome,
  attemptsBefore: number,
  policy: RetryPolicy,
  now: number,
  random: () => number = Math.random,
): AttemptVerdict {
  const scheduleMs = policy.retryScheduleMs;
  const attempts = attemptsBefore + 1;
  switch (outcome.kind) {
    case 'ok':
      return { status: 'sent', attempts, nextAttemptAt: null, pauseBotUntil: null, hint: null };
    case 'throttled': {
      const until = now + policy.throttlePauseMs;
      return {
        status: 'pending',
        attempts: attemptsBefore,
        nextAttemptAt: until,
        pauseBotUntil: until,
        hint: outcome.hint,
      };
    }
    case 'permanent':
      return { status: 'failed', attempts, nextAttemptAt: null, pauseBotUntil: null, hint: outcome.hint };
    case 'transient':
    case 'token_expired': {
      if (attempts > scheduleMs.length) {
        return {
          status: 'failed',
          attempts,
          nextAttemptAt: null,
          pauseBotUntil: null,
          hint: `Gave up after ${attempts} attempts. ${outcome.hint ?? ''}`.trim(),
        };
      }
      const wait = withJitter(scheduleMs[attempts - 1], random);
      return {
        status: 'retrying',
        attempts,
        nextAttemptAt: now + wait,
        pauseBotUntil: null,
        hint: outcome.hint,
      };
    }
  }
}

export function withJitter(waitMs: number, random: () => number): number {
  return Math.round(waitMs * (1 - JITTER + 2 * JITTER * random()));
}

/** The bounds `withJitter` stays within, for callers that check a schedule. */
export function jitterBounds(waitMs: number): [number, number] {
  return [Math.floor(waitMs * (1 - JITTER)), Math.ceil(waitMs * (1 + JITTER))];
}
