import { DingTalkNetworkError, HttpAnswer } from './dingtalk-http';

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

// The three throttle codes custom robots answer (docs/dingtalk/custom-robot.md); refused app tokens.
const THROTTLE_CODES = new Set([130101, 410100, 660026]);
const TOKEN_EXPIRED_CODES = new Set([40014, 42001, 88]);
// The organisation's monthly API quota, old API and new API (docs/dingtalk/README.md, "Call limits").
const QUOTA_ERRCODE = 90020;
const QUOTA_CODE = 'Forbidden.AccessDenied.ApiCountLimitForOrg';

const HINTS = {
  signature:
    "The signature does not match: check the bot's secret (加签, starts with SEC) and that this server's clock is right.",
  timestamp:
    "DingTalk refused the signature's timestamp: this server's clock is more than an hour off. Fix the clock (NTP).",
  keyword:
    "The robot only accepts messages containing one of its keywords (自定义关键词): add a keyword such as 报菜 or 通知 in the robot's security settings, or switch the robot to signing (加签).",
  ipWhitelist:
    "This server's IP address is not in the robot's IP whitelist (IP地址段): add it in the robot's security settings.",
  unknownToken:
    "DingTalk does not know this webhook's access_token: the robot was probably removed from its group. Copy the webhook URL again from the robot's settings.",
  throttled:
    'DingTalk is throttling this robot (over 20 messages a minute): sending to it pauses for 10 minutes.',
  tooManyRequests:
    'DingTalk answered 429 Too Many Requests: sending to this robot pauses for as long as DingTalk asked (Retry-After), or 10 minutes.',
  ipBlocked:
    "DingTalk blocked this server's IP address for calling too often (over 10,000 calls in 20 seconds): every send of the service pauses until the block ends, then everything waiting goes out.",
  quota:
    "The organisation's monthly DingTalk API quota is used up: this app's messages wait (no attempt is spent) until the quota resets at the start of next month (China time), or until the organisation buys more calls (开发者后台 → 资源管理).",
  robotDisabled: 'The robot is switched off in DingTalk: switch it on in the group settings.',
  robotMissing: 'The robot no longer exists in DingTalk: add it to the group again and update the webhook.',
  groupGone: 'The DingTalk group has been disbanded: point the bot at another group.',
  contentBlocked: "DingTalk's content check blocked the message (a link, word or image it considers unsafe).",
  tooLong: 'The message is over 20,000 bytes.',
  badRequest: 'DingTalk rejected the request as malformed; this is a bug in the service, please report it.',
  credentials:
    "DingTalk rejected the app's credentials: copy client_id (AppKey) and client_secret (AppSecret) again from the app's 凭证与基础信息 page.",
  appIpWhitelist:
    "This server's IP address is not in the app's server IP whitelist (服务器出口IP) in the DingTalk developer console.",
  agentId: 'DingTalk rejected the work notification: check that agent_id is the AgentId of this app.',
  conversation:
    'DingTalk does not know open_conversation_id, or the robot is not in that group: add the robot to the group and write 绑定 to it there.',
  robotCode:
    "DingTalk does not find the app's robot there: check that the robot has been added to the group, and that the app's robot (机器人) capability is enabled and published.",
  permission:
    'The app lacks a permission for this API: grant it in the DingTalk developer console (权限管理).',
  busy: 'DingTalk is busy or had a server error; the service retries with backoff.',
  tokenExpired: 'The app access token expired; the service fetches a new one.',
  noTarget:
    'The stream bot has no target: set user_ids (work notifications) or open_conversation_id (a group; or write 绑定 to the bot in that group).',
} as const;

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

function outcome(
  kind: OutcomeKind,
  answer: HttpAnswer | null,
  errcode: number | string | null,
  errmsg: string,
  hint: string | null,
  latencyMs = answer?.latencyMs ?? 0,
): DingTalkOutcome {
  return { kind, httpStatus: answer?.status ?? null, errcode, errmsg, hint, latencyMs };
}

export function networkOutcome(error: DingTalkNetworkError): DingTalkOutcome {
  return outcome(
    'transient',
    null,
    null,
    error.message,
    `${error.message}; the service retries with backoff.`,
    error.latencyMs,
  );
}

function throttled(
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

/**
 * Answers that are a limit whatever the API: DingTalk's IP block (an HTML page, or `{"status":1111,"wait":5,…}`
 * whose `wait` is in minutes, matching the documented 5-minute block: docs/dingtalk/README.md), HTTP 429 (honouring
 * Retry-After), and a redirect instead of an answer (reported for a robot past its rate: docs/dingtalk/custom-robot.md).
 */
function isIpBlock(json: unknown): json is { status: unknown; wait?: unknown } {
  return json !== null && typeof json === 'object' && Number((json as { status?: unknown }).status) === 1111;
}

function limitAnswer(answer: HttpAnswer): DingTalkOutcome | null {
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
function unexpected(answer: HttpAnswer): DingTalkOutcome {
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

/**
 * Custom-robot webhooks and `sendBySession` (docs/dingtalk/custom-robot.md, Answers): HTTP 200 with `errcode` (a
 * number, or the string "0" in some documented examples); anything else than 0 is a failure.
 */
export function classifyWebhookAnswer(answer: HttpAnswer): DingTalkOutcome {
  const body = answer.json as { errcode?: unknown; errmsg?: unknown } | undefined;
  if (answer.status !== 200 || body === undefined || body === null || body.errcode === undefined)
    return unexpected(answer);
  const errcode = Number(body.errcode);
  const errmsg = typeof body.errmsg === 'string' ? body.errmsg : '';
  if (errcode === 0) return ok(answer, errmsg || 'ok');
  if (THROTTLE_CODES.has(errcode)) return throttled(answer, errcode, errmsg, HINTS.throttled, 'robot', null);
  const permanent = (hint: string) => outcome('permanent', answer, errcode, errmsg, hint);
  switch (errcode) {
    case 310000:
      if (/keyword/i.test(errmsg)) return permanent(HINTS.keyword);
      if (/whitelist|ip /i.test(errmsg)) return permanent(HINTS.ipWhitelist);
      if (/timestamp/i.test(errmsg)) return permanent(HINTS.timestamp);
      return permanent(HINTS.signature);
    case 300005:
    case 400101:
    case 300001:
      return permanent(
        errcode === 300001
          ? 'The reply window of that DingTalk conversation has expired.'
          : HINTS.unknownToken,
      );
    case 400102:
      return permanent(HINTS.robotDisabled);
    case 400106:
      return permanent(HINTS.robotMissing);
    case 400013:
      return permanent(HINTS.groupGone);
    case 460101:
    case 101002:
      return permanent(HINTS.tooLong);
    case 400105:
    case 43004:
      return permanent(HINTS.badRequest);
    default:
      if (errcode >= 430101 && errcode <= 430104) return permanent(HINTS.contentBlocked);
      return classifyCommonOldApiCode(answer, errcode, errmsg);
  }
}

/**
 * Old-API calls made with an app token (asyncsend_v2, gettoken; docs/dingtalk/access-tokens.md,
 * work-notifications.md).
 */
export function classifyOldApiAnswer(answer: HttpAnswer): DingTalkOutcome {
  const body = answer.json as
    { errcode?: unknown; errmsg?: unknown; sub_code?: unknown; sub_msg?: unknown } | undefined;
  if (answer.status !== 200 || body === undefined || body === null || body.errcode === undefined)
    return unexpected(answer);
  const errcode = Number(body.errcode);
  const errmsg = [body.errmsg, body.sub_msg]
    .filter((part) => typeof part === 'string' && part !== '')
    .join(': ');
  if (errcode === 0) return ok(answer, errmsg || 'ok');
  // Auth errors arrive wrapped as errcode 88 with sub_code "40014" (a string): docs/dingtalk/README.md.
  const subCode = Number(body.sub_code);
  if (TOKEN_EXPIRED_CODES.has(errcode) && (errcode !== 88 || TOKEN_EXPIRED_CODES.has(subCode))) {
    return outcome('token_expired', answer, errcode, errmsg, HINTS.tokenExpired);
  }
  switch (errcode) {
    case 40096:
    case 40089:
      return outcome('permanent', answer, errcode, errmsg, HINTS.credentials);
    case 60020:
      return outcome('permanent', answer, errcode, errmsg, HINTS.appIpWhitelist);
    case 40035:
      return outcome(
        'permanent',
        answer,
        errcode,
        errmsg,
        /agent/i.test(errmsg) ? HINTS.agentId : HINTS.badRequest,
      );
    default:
      return classifyCommonOldApiCode(answer, errcode, errmsg);
  }
}

/**
 * `90020`: the organisation's monthly API quota is used up (the app waits for next month); `90001`–`90014`: the
 * IP's call ceiling (the whole cluster waits): docs/dingtalk/README.md. `-1` (busy) and the other `900xx` (call-rate
 * limits of one API) are transient; so is an unknown code.
 */
function classifyCommonOldApiCode(answer: HttpAnswer, errcode: number, errmsg: string): DingTalkOutcome {
  if (errcode === QUOTA_ERRCODE) return throttled(answer, errcode, errmsg, HINTS.quota, 'app', null);
  if (errcode >= 90001 && errcode <= 90014)
    return throttled(answer, errcode, errmsg, HINTS.ipBlocked, 'cluster', retryAfterMs(answer.retryAfter));
  if (errcode === -1 || (errcode >= 90000 && errcode < 91000))
    return outcome('transient', answer, errcode, errmsg, HINTS.busy);
  return outcome(
    'transient',
    answer,
    errcode,
    errmsg,
    `DingTalk answered errcode ${errcode}${errmsg ? ` (${errmsg})` : ''}; the service retries.`,
  );
}

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

/** A stream bot with neither user_ids nor open_conversation_id has nowhere to send. */
export function noTargetOutcome(): DingTalkOutcome {
  return outcome('permanent', null, null, 'No target', HINTS.noTarget);
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

export { HINTS as DINGTALK_HINTS };
