import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * DingTalk custom-robot signing (加签, https://open.dingtalk.com/document/robots/customize-robot-security-settings),
 * written here on its own rather than imported from src/, so that the fake robot checks the service against an
 * independent implementation: `sign = base64(HMAC-SHA256(key = secret, timestamp + "\n" + secret))` with the
 * millisecond timestamp, both in the query string.
 */
export function robotSignature(secret: string, timestampMs: number | string): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
}

/** The webhook URL with `timestamp` and `sign` added; URLSearchParams form-encodes the base64 exactly once. */
export function signWebhookUrl(webhook: string, secret: string, timestampMs: number): string {
  const url = new URL(webhook);
  url.searchParams.set('timestamp', String(timestampMs));
  url.searchParams.set('sign', robotSignature(secret, timestampMs));
  return url.href;
}

/** Why a signed call is refused (DingTalk answers both with errcode 310000), or null when it is good. */
export function signatureProblem(
  secret: string,
  timestamp: string | null,
  sign: string | null,
  nowMs: number,
  windowMs = 3_600_000,
): 'sign not match' | 'invalid timestamp' | null {
  if (!timestamp || !sign || !/^\d{1,16}$/.test(timestamp)) return 'sign not match';
  if (Math.abs(nowMs - Number(timestamp)) > windowMs) return 'invalid timestamp';
  const expected = Buffer.from(robotSignature(secret, timestamp));
  const given = Buffer.from(sign);
  return expected.length === given.length && timingSafeEqual(expected, given) ? null : 'sign not match';
}
