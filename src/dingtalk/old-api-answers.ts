import { DINGTALK_HINTS as HINTS } from './dingtalk-hints';
import { HttpAnswer } from './dingtalk-http';
import { DingTalkOutcome, ok, outcome, retryAfterMs, throttled } from './dingtalk-outcome';
import { unexpectedAnswer } from './limit-answers';

// The answers of DingTalk's old API (oapi.dingtalk.com): custom-robot webhooks, sendBySession and the calls made
// with an app token.

// The three throttle codes custom robots answer (docs/dingtalk/custom-robot.md); refused app tokens.
const THROTTLE_CODES = new Set([130101, 410100, 660026]);
// A message without a field DingTalk requires: text.content, markdown.title/.text, `缺少参数 json`
// (docs/dingtalk/custom-robot.md). Sending it again cannot help.
const MISSING_FIELD_CODES = new Set([40035, 400202, 400402, 400403]);
const TOKEN_EXPIRED_CODES = new Set([40014, 42001, 88]);
// The organisation's monthly API quota (docs/dingtalk/README.md, "Call limits").
const QUOTA_ERRCODE = 90020;

/**
 * Custom-robot webhooks and `sendBySession` (docs/dingtalk/custom-robot.md, Answers): HTTP 200 with `errcode` (a
 * number, or the string "0" in some documented examples); anything else than 0 is a failure.
 */
export function classifyWebhookAnswer(answer: HttpAnswer): DingTalkOutcome {
  const body = answer.json as { errcode?: unknown; errmsg?: unknown } | undefined;
  if (answer.status !== 200 || body === undefined || body === null || body.errcode === undefined)
    return unexpectedAnswer(answer);
  const errcode = Number(body.errcode);
  const errmsg = typeof body.errmsg === 'string' ? body.errmsg : '';
  if (errcode === 0) return ok(answer, errmsg || 'ok');
  if (THROTTLE_CODES.has(errcode)) return throttled(answer, errcode, errmsg, HINTS.throttled, 'robot', null);
  const permanent = (hint: string) => outcome('permanent', answer, errcode, errmsg, hint);
  if (MISSING_FIELD_CODES.has(errcode)) return permanent(HINTS.missingField);
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
    return unexpectedAnswer(answer);
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
