import { DINGTALK_HINTS as HINTS } from './dingtalk-hints';
import { HttpAnswer } from './dingtalk-http';
import { DingTalkOutcome, ok, outcome, retryAfterMs, throttled } from './dingtalk-outcome';
import { limitAnswer, isIpBlock } from './limit-answers';

// The answers of DingTalk's new API (api.dingtalk.com/v1.0/...), among them the robot send APIs.

// The organisation's monthly API quota (docs/dingtalk/README.md, "Call limits").
const QUOTA_CODE = 'Forbidden.AccessDenied.ApiCountLimitForOrg';

/** New-API calls (`api.dingtalk.com/v1.0/...`, docs/dingtalk/README.md): 2xx is success, else `{code, message}`. */
export function classifyNewApiAnswer(answer: HttpAnswer): DingTalkOutcome {
  if (answer.status >= 200 && answer.status < 300 && !answer.html && !isIpBlock(answer.json))
    return ok(answer);
  const body = answer.json as { code?: unknown; message?: unknown } | undefined;
  const code = typeof body?.code === 'string' ? body.code : null;
  const message = typeof body?.message === 'string' ? body.message : `HTTP ${answer.status}`;
  const limit = code === null ? limitAnswer(answer) : null;
  if (limit) return limit;
  if (answer.status >= 500 || code === null) return outcome('transient', answer, code, message, HINTS.busy);
  if (code === QUOTA_CODE) return throttled(answer, code, message, HINTS.quota, 'app', null);
  const permanent = (hint: string) => outcome('permanent', answer, code, message, hint);
  // A request without the token header is the service's bug, not an expired token: a new token would not help.
  if (code === 'AuthenticationFailed.MissingParameter') return permanent(HINTS.badRequest);
  if (code === 'InvalidAuthentication' || code.startsWith('AuthenticationFailed')) {
    return outcome('token_expired', answer, code, message, HINTS.tokenExpired);
  }
  if (code === 'invalidClientIdOrSecret') return permanent(HINTS.credentials);
  if (code === 'invalid.openConversationId') return permanent(HINTS.conversation);
  if (code.startsWith('invalidParameter.robotCode') || code === 'bot.stopped')
    return permanent(HINTS.robotCode);
  // Third-party code lists these as robot send-rate throttles (unconfirmed: docs/dingtalk/robot-messages.md).
  if (['send.too.fast', 'send.byToken.tooFast', 'too.many.group', 'too.many.people'].includes(code)) {
    return throttled(answer, code, message, HINTS.throttled, 'robot', retryAfterMs(answer.retryAfter));
  }
  if (code.startsWith('Forbidden.AccessDenied')) {
    return /qps|limit|flow/i.test(code)
      ? outcome('transient', answer, code, message, HINTS.busy)
      : permanent(HINTS.permission);
  }
  if (code.startsWith('invalidParameter') || code === 'MissingParameter') return permanent(HINTS.badRequest);
  return outcome(
    'transient',
    answer,
    code,
    message,
    `DingTalk answered ${code} (${message}); the service retries.`,
  );
}

/**
 * The robot send APIs (docs/dingtalk/robot-messages.md): besides the new API's own refusals, an HTTP 200 of
 * `oToMessages/batchSend` may list users who did not get the message. Unknown users make it `permanent` (their
 * userids must be fixed); throttled ones `transient` (retried with backoff, failed when the retries run out — not a
 * 10-minute pause of the whole bot, which is the custom robots' limit). Either way `undelivered` names them.
 */
export function classifyRobotSendAnswer(answer: HttpAnswer): DingTalkOutcome {
  const classified = classifyNewApiAnswer(answer);
  if (classified.kind !== 'ok') return classified;
  const body = answer.json as
    { flowControlledStaffIdList?: unknown; invalidStaffIdList?: unknown } | undefined;
  const undelivered = {
    flowControlled: userIds(body?.flowControlledStaffIdList),
    invalid: userIds(body?.invalidStaffIdList),
  };
  const { flowControlled, invalid } = undelivered;
  if (flowControlled.length === 0 && invalid.length === 0) return classified;
  const notes = [
    invalid.length > 0 ? `unknown user(s) ${invalid.join(', ')}` : null,
    flowControlled.length > 0 ? `throttled for ${flowControlled.join(', ')}` : null,
  ].filter((note): note is string => note !== null);
  const errmsg = `Not delivered: ${notes.join('; ')}`;
  if (invalid.length > 0) {
    const hint =
      `DingTalk does not know ${invalid.join(', ')} in this organisation (invalidStaffIdList): check the userids.` +
      (flowControlled.length > 0 ? ` It also throttled the message for ${flowControlled.join(', ')}.` : '');
    return { ...outcome('permanent', answer, 'invalidStaffIdList', errmsg, hint), undelivered };
  }
  const hint = `DingTalk throttled the message for ${flowControlled.join(', ')} (flowControlledStaffIdList): they did not get it; sending to them again later can work.`;
  return { ...outcome('transient', answer, 'flowControlled', errmsg, hint), undelivered };
}

function userIds(list: unknown): string[] {
  return Array.isArray(list) ? list.map(String).filter((id) => id !== '') : [];
}
