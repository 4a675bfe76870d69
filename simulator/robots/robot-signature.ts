import { createHmac, timingSafeEqual } from 'node:crypto';

/** DingTalk accepts a signature's timestamp within an hour of its own clock (docs/dingtalk/custom-robot.md). */
export const SIGNATURE_WINDOW_MS = 60 * 60 * 1000;

export type SignatureVerdict = 'valid' | 'invalid' | 'expired' | 'absent';

/**
 * What DingTalk computes for a signed webhook call (docs/dingtalk/custom-robot.md, Signing): base64 of
 * HMAC-SHA256 keyed with the secret over `timestamp + "\n" + secret`. Written here from the documentation, not
 * taken from the service, so that a signing bug in the service is refused here as DingTalk would refuse it.
 */
export function expectedSignature(secret: string, timestamp: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(Buffer.from(`${timestamp}\n${secret}`, 'utf8'))
    .digest('base64');
}

/**
 * Checks `timestamp` and `sign` as they arrive in the query string (already form-decoded once by the URL parser,
 * as DingTalk decodes them): a robot without a secret checks nothing; otherwise both must be present, the
 * timestamp a millisecond time within the hour (else `expired`), and the sign the expected one.
 */
export function verifySignature(
  secret: string | null,
  timestamp: string | undefined,
  sign: string | undefined,
  now: number,
): SignatureVerdict {
  if (!secret) return 'absent';
  if (!timestamp || !sign) return 'invalid';
  const ms = Number(timestamp);
  // DingTalk answers `invalid timestamp` for a time outside the window, and so for one that is not a time at all.
  if (!/^\d+$/.test(timestamp) || Math.abs(now - ms) > SIGNATURE_WINDOW_MS) return 'expired';
  const expected = Buffer.from(expectedSignature(secret, timestamp));
  const given = Buffer.from(sign);
  return expected.length === given.length && timingSafeEqual(expected, given) ? 'valid' : 'invalid';
}
