import { createHash } from 'node:crypto';

/** A POST that carries an Idempotency-Key: who sent it, the key, and what exactly it asked. */
export interface IdempotentRequest {
  /** The token's `sub`: keys are per caller, so two callers never see each other's answers. */
  readonly caller: string;
  readonly key: string;
  /** sha256 (hex) of the method, the route and the body in canonical form (see requestFingerprint). */
  readonly fingerprint: string;
}

/** The header, as Stripe and the IETF draft draft-ietf-httpapi-idempotency-key-header name it. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/** 1 to 255 printable ASCII characters (Stripe's limit): a UUID, a hash, a client's own request number. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x20-\x7E]{1,255}$/;

/** How long a key answers with the first result; after that it is a new key (and the expiry job deletes it). */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60_000;

/**
 * What makes two requests "the same request": the method, the route (a key used on another route is another
 * request) and the parsed body with its object keys sorted, so a client that re-serialises its body in another
 * key order or with other whitespace is still retrying the same request.
 */
export function requestFingerprint(method: string, route: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method.toUpperCase()} ${route}\n${canonicalJson(body)}`)
    .digest('hex');
}

/** JSON with every object's keys in sorted order; arrays keep theirs. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
