import { DINGTALK_HINTS as HINTS } from './dingtalk-hints';
import { HttpAnswer } from './dingtalk-http';
import { DingTalkOutcome, outcome, retryAfterMs, throttled } from './dingtalk-outcome';

/**
 * Answers that are a limit whatever the API: DingTalk's IP block (an HTML page, or `{"status":1111,"wait":5,…}`
 * whose `wait` is in minutes, matching the documented 5-minute block: docs/dingtalk/README.md), HTTP 429 (honouring
 * Retry-After), and a redirect instead of an answer (reported for a robot past its rate: docs/dingtalk/custom-robot.md).
 */
export function isIpBlock(json: unknown): json is { status: unknown; wait?: unknown } {
  return json !== null && typeof json === 'object' && Number((json as { status?: unknown }).status) === 1111;
}

export function limitAnswer(answer: HttpAnswer): DingTalkOutcome | null {
  const body = answer.json;
  const retryAfter = retryAfterMs(answer.retryAfter);
  if (isIpBlock(body)) {
    const wait = Number(body.wait);
    const forMs = Number.isFinite(wait) && wait > 0 ? wait * 60_000 : retryAfter;
    return throttled(
      answer,
      1111,
      `IP blocked by DingTalk (wait ${String(body.wait)})`,
      HINTS.ipBlocked,
      'cluster',
      forMs,
    );
  }
  if (answer.status === 429)
    return throttled(answer, null, 'HTTP 429 Too Many Requests', HINTS.tooManyRequests, 'robot', retryAfter);
  if (answer.status >= 300 && answer.status < 400)
    return throttled(
      answer,
      null,
      `HTTP ${answer.status} instead of an answer`,
      HINTS.throttled,
      'robot',
      retryAfter,
    );
  if (answer.json === undefined && answer.html && (answer.status === 200 || answer.status === 403))
    return throttled(
      answer,
      null,
      `An HTML page (HTTP ${answer.status}): DingTalk blocked the IP`,
      HINTS.ipBlocked,
      'cluster',
      retryAfter,
    );
  return null;
}

/** Not a JSON answer of the expected shape, or a 5xx: DingTalk (or something in between) is having trouble. */
export function unexpectedAnswer(answer: HttpAnswer): DingTalkOutcome {
  const limit = limitAnswer(answer);
  if (limit) return limit;
  return outcome(
    'transient',
    answer,
    null,
    `Unexpected answer from DingTalk (HTTP ${answer.status})`,
    HINTS.busy,
  );
}
