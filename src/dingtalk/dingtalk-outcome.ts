import { DINGTALK_HINTS } from './dingtalk-hints';
import { DingTalkNetworkError, HttpAnswer } from './dingtalk-http';

// What a call to DingTalk came to, and how outcomes are made. The answers themselves are read in
// old-api-answers.ts (webhooks, sendBySession, app-token calls) and new-api-answers.ts (api.dingtalk.com, robot
// sends); the limits both can answer with are in limit-answers.ts, the hints in dingtalk-hints.ts.

/**
 * What one call to DingTalk came to, classified as the delivery queue needs it:
 * - `ok`: accepted;
 * - `throttled`: a limit was hit (no attempt spent); `pause` says whose sends wait and for how long: the robot's
 *   (over its rate: 10 minutes, or the answer's Retry-After), the app's (the organisation's monthly API quota is
 *   used up: until it resets), or the whole cluster's (DingTalk blocked the IP: 5 minutes, or the wait it names);
 * - `transient`: worth retrying with backoff (network, timeout, 5xx, busy, unknown codes);
 * - `permanent`: retrying cannot help until someone fixes something (the `hint` says what);
 * - `token_expired`: the app access token was refused; fetch a new one and try once more.
 */
export type OutcomeKind = 'ok' | 'throttled' | 'transient' | 'permanent' | 'token_expired';

export interface DingTalkOutcome {
  kind: OutcomeKind;
  httpStatus: number | null;
  /** The old API's numeric `errcode`, or the new API's string `code`. */
  errcode: number | string | null;
  errmsg: string;
  /** What to fix, in plain words, for anything that is not ok. */
  hint: string | null;
  latencyMs: number;
  /** Set on `throttled`: whose sends wait, and for how long. */
  pause?: OutcomePause;
  /**
   * A robot one-to-one send answered HTTP 200 but named recipients who did not get the message
   * (docs/dingtalk/robot-messages.md): the others did, so a retry should address only these.
   */
  undelivered?: UndeliveredRecipients;
}

/**
 * - `robot`: this robot (its per-minute rate: docs/dingtalk/custom-robot.md); `forMs` null: DingTalk's 10 minutes;
 * - `app`: every bot of this DingTalk app (the organisation's monthly API quota); `forMs` null: until the quota
 *   resets at the start of the next month, China time;
 * - `cluster`: every send of every instance (DingTalk blocked the egress IP); `forMs` null: the configured block.
 */
export type PauseScope = 'robot' | 'app' | 'cluster';

export interface OutcomePause {
  scope: PauseScope;
  /** As long as the answer said (Retry-After, or the block's `wait`); null: the scope's default. */
  forMs: number | null;
}

export interface UndeliveredRecipients {
  /** Throttled (`flowControlledStaffIdList`): sending to them again later can work. */
  flowControlled: string[];
  /** Unknown to the organisation (`invalidStaffIdList`): sending again cannot work. */
  invalid: string[];
}

export function ok(answer: HttpAnswer, errmsg = 'ok'): DingTalkOutcome {
  return {
    kind: 'ok',
    httpStatus: answer.status,
    errcode: 0,
    errmsg,
    hint: null,
    latencyMs: answer.latencyMs,
  };
}

export function outcome(
  kind: OutcomeKind,
  answer: HttpAnswer | null,
  errcode: number | string | null,
  errmsg: string,
  hint: string | null,
  latencyMs = answer?.latencyMs ?? 0,
): DingTalkOutcome {
  return { kind, httpStatus: answer?.status ?? null, errcode, errmsg, hint, latencyMs };
}

/** A call that got no answer: `errmsg` says what happened (host, cause), the hint what to check. */
export function networkOutcome(error: DingTalkNetworkError): DingTalkOutcome {
  return outcome('transient', null, null, error.message, DINGTALK_HINTS[error.kind], error.latencyMs);
}

export function throttled(
  answer: HttpAnswer,
  errcode: number | string | null,
  errmsg: string,
  hint: string,
  scope: PauseScope,
  forMs: number | null,
): DingTalkOutcome {
  return { ...outcome('throttled', answer, errcode, errmsg, hint), pause: { scope, forMs } };
}

/**
 * `Retry-After` as RFC 9110 defines it: a number of seconds, or an HTTP date (read against `now`). Null when absent
 * or unreadable.
 */
export function retryAfterMs(value: string | null | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** A stream bot with neither user_ids nor open_conversation_id has nowhere to send. */
export function noTargetOutcome(): DingTalkOutcome {
  return outcome('permanent', null, null, 'No target', DINGTALK_HINTS.noTarget);
}

export { DINGTALK_HINTS };
