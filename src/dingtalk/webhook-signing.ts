import { createHmac } from 'node:crypto';

/**
 * Custom-robot signing (docs/dingtalk/custom-robot.md): `sign = base64(HMAC-SHA256(key = secret, timestamp + "\n" +
 * secret))`, with the millisecond timestamp; both go in the query string, form-encoded exactly once.
 */
export function webhookSignature(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
}

/** The webhook URL with `timestamp` and `sign` added (URLSearchParams encodes + / = once, as DingTalk expects). */
export function signedWebhookUrl(webhook: string, secret: string | null, timestampMs: number): string {
  if (!secret) return webhook;
  const url = new URL(webhook);
  url.searchParams.set('timestamp', String(timestampMs));
  url.searchParams.set('sign', webhookSignature(secret, timestampMs));
  return url.href;
}
