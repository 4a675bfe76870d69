import { randomBytes } from 'node:crypto';
import { SimApp, SimulatorState, TokenCheck } from '../core/simulator-state';

export function requestId(): string {
  return randomBytes(6).toString('base64url').toLowerCase();
}

/** An old-API refusal is HTTP 200 with `errcode` (docs/dingtalk/README.md). */
export interface OldApiError {
  errcode: number;
  errmsg: string;
  sub_code?: string;
  sub_msg?: string;
  request_id: string;
}

/**
 * The old API's answer to a token it will not take (docs/dingtalk/README.md, docs/dingtalk/work-notifications.md):
 * `errcode 88` wrapping `sub_code "40014"` (a string). DingTalk does not document a different code for an expired
 * token, so an expired one gets the same.
 */
export function oldApiTokenRefusal(check: Extract<TokenCheck, { ok: false }>): OldApiError {
  return {
    errcode: 88,
    errmsg: check.problem === 'missing' ? '缺少参数 access_token' : '不合法的access_token',
    sub_code: '40014',
    sub_msg: '不合法的access_token',
    request_id: requestId(),
  };
}

/**
 * New-API token check (docs/dingtalk/access-tokens.md): the token must be in the `x-acs-dingtalk-access-token` header
 * (a Bearer header or a query parameter does not count); missing → `AuthenticationFailed.MissingParameter`, unknown or
 * expired → `InvalidAuthentication`, both HTTP 400.
 */
export function headerTokenApp(
  state: SimulatorState,
  header: string | string[] | undefined,
): { app: SimApp } | { code: string; message: string } {
  const check = state.checkToken(typeof header === 'string' ? header : undefined);
  if (check.ok) return { app: check.app };
  return check.problem === 'missing'
    ? { code: 'AuthenticationFailed.MissingParameter', message: 'x-acs-dingtalk-access-token is required' }
    : { code: 'InvalidAuthentication', message: '不合法的access_token' };
}
