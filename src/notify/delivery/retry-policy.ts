import { AppConfig, DeliveryConfig } from '../../config/app-config';
import { DingTalkOutcome, PauseScope } from '../../dingtalk/dingtalk-outcome';
import { NotificationStatus } from '../../events/notification.events';

/** DingTalk throttles a robot for 10 minutes once it goes over its rate (docs/dingtalk/custom-robot.md). */
export const THROTTLE_PAUSE_MS = 10 * 60_000;

/** What judgeAttempt needs of the configuration. */
export type RetryPolicy = Pick<DeliveryConfig, 'retryScheduleMs' | 'throttlePauseMs'> &
  Partial<Pick<AppConfig['dingtalk'], 'ipBlockPauseMs' | 'maxRetryAfterMs'>>;

/** DingTalk's organisation quota is counted per calendar month in China time (UTC+8, no daylight saving). */
const CHINA_OFFSET_MS = 8 * 3_600_000;
/** A pause DingTalk asks for is never shorter than this: a `Retry-After: 0` must not turn into a busy loop. */
const MIN_PAUSE_MS = 1_000;

/** Whose sends a throttle holds back, and for how long from the answer (applied on the database's clock). */
export interface PauseVerdict {
  scope: PauseScope;
  ms: number;
}

/** ±20 %: notifications that failed together do not all come back at the same instant. */
const JITTER = 0.2;

/** What becomes of a notification after one attempt. */
export interface AttemptVerdict {
  status: NotificationStatus;
  /** Attempts spent so far; a throttled answer spends none. */
  attempts: number;
  /** When to try again (pending/retrying), in clock milliseconds. */
  nextAttemptAt: number | null;
  /** Set when DingTalk throttled: the robot's, the app's or every send waits this long. */
  pause: PauseVerdict | null;
  hint: string | null;
}

/**
 * The retry rules of docs/delivery.md as a pure function: ok → sent; throttled → back to pending
 * behind a pause (see pauseFor), no attempt spent; transient (and a token refused even after a fresh one) → retry
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
      // A hint on success: some of a work notification's users did not get it (see work-notification-recipients.ts).
      return { status: 'sent', attempts, nextAttemptAt: null, pause: null, hint: outcome.hint };
    case 'throttled': {
      const pause = pauseFor(outcome, policy, now);
      return {
        status: 'pending',
        attempts: attemptsBefore,
        nextAttemptAt: now + pause.ms,
        pause,
        hint: outcome.hint,
      };
    }
    case 'permanent':
      return { status: 'failed', attempts, nextAttemptAt: null, pause: null, hint: outcome.hint };
    case 'transient':
    case 'token_expired': {
      if (attempts > scheduleMs.length) {
        return {
          status: 'failed',
          attempts,
          nextAttemptAt: null,
          pause: null,
          hint: `Gave up after ${attempts} attempts. ${outcome.hint ?? ''}`.trim(),
        };
      }
      const wait = withJitter(scheduleMs[attempts - 1], random);
      return {
        status: 'retrying',
        attempts,
        nextAttemptAt: now + wait,
        pause: null,
        hint: outcome.hint,
      };
    }
  }
}

/** What a test message's hint says instead of the queue's promise to try again (judgeOnlyAttempt). */
export const NOT_RETRIED = 'Not retried: a test is tried once; press the test button again.';

/**
 * The sentence that ends the hints of answers the queue tries again (src/dingtalk/dingtalk-hints.ts `busy`,
 * `network`, `timeout`, `stopped`, `tokenExpired`, and the unknown codes of old-api-answers.ts and
 * new-api-answers.ts): a promise judgeAttempt keeps, and a message tried once does not.
 */
const RETRY_PROMISE =
  /(?:;\s*|\.\s+)(?:the service retries(?: with backoff)?|it is tried again|the service fetches a new one)\.$/i;

/**
 * The verdict on a message that is tried once (a test message: the test button answers with what DingTalk said, and
 * a second try is a second click): sent, or failed with the hint. A throttle answer still pauses whom it names,
 * as judgeAttempt says. An answer the queue would try again keeps DingTalk's reason, without the promise to try
 * again (nobody will), and says so (NOT_RETRIED); a permanent one's hint says what to fix, as it is.
 */
export function judgeOnlyAttempt(outcome: DingTalkOutcome, policy: RetryPolicy, now: number): AttemptVerdict {
  const verdict = judgeAttempt(outcome, 0, policy, now);
  if (verdict.status === 'sent') return verdict;
  const hint = outcome.kind === 'permanent' ? verdict.hint : notRetried(outcome.hint);
  return { ...verdict, status: 'failed', attempts: 1, nextAttemptAt: null, hint };
}

function notRetried(hint: string | null): string {
  const reason = hint?.replace(RETRY_PROMISE, '.') ?? '';
  return reason === '' ? NOT_RETRIED : `${reason} ${NOT_RETRIED}`;
}

/**
 * How long a throttle answer holds back whom: the wait the answer named (Retry-After, the IP block's `wait`), cut to
 * `maxRetryAfterMs`; else the scope's default: DingTalk's 10 minutes for a robot (`throttlePauseMs`), the configured
 * IP block for the cluster, and for an app whose organisation used up its monthly quota, until the next month
 * starts in China time.
 */
export function pauseFor(outcome: DingTalkOutcome, policy: RetryPolicy, now: number): PauseVerdict {
  const scope = outcome.pause?.scope ?? 'robot';
  const asked = outcome.pause?.forMs ?? null;
  if (asked !== null)
    return { scope, ms: Math.max(MIN_PAUSE_MS, Math.min(asked, policy.maxRetryAfterMs ?? 3_600_000)) };
  switch (scope) {
    case 'robot':
      return { scope, ms: policy.throttlePauseMs };
    case 'cluster':
      return { scope, ms: policy.ipBlockPauseMs ?? 300_000 };
    case 'app':
      return { scope, ms: Math.max(MIN_PAUSE_MS, nextQuotaMonth(now) - now) };
  }
}

/** The start of the month after `now`'s, in China time: when an organisation's API quota resets. */
export function nextQuotaMonth(now: number): number {
  const china = new Date(now + CHINA_OFFSET_MS);
  return Date.UTC(china.getUTCFullYear(), china.getUTCMonth() + 1, 1) - CHINA_OFFSET_MS;
}

export function withJitter(waitMs: number, random: () => number): number {
  return Math.round(waitMs * (1 - JITTER + 2 * JITTER * random()));
}

/** The bounds `withJitter` stays within, for callers that check a schedule. */
export function jitterBounds(waitMs: number): [number, number] {
  return [Math.floor(waitMs * (1 - JITTER)), Math.ceil(waitMs * (1 + JITTER))];
}
