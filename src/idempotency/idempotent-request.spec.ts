import { describe, expect, it } from 'vitest';
import { canonicalJson, IDEMPOTENCY_KEY_PATTERN, requestFingerprint } from './idempotent-request';

describe('requestFingerprint', () => {
  const route = '/api/v1/menu-reports';

  it('is the same for the same body in another key order', () => {
    expect(requestFingerprint('POST', route, { b: [1, { y: 2, x: 1 }], a: '饭' })).toBe(
      requestFingerprint('post', route, { a: '饭', b: [1, { x: 1, y: 2 }] }),
    );
    expect(canonicalJson({ b: 1, a: { d: null, c: 'x' } })).toBe('{"a":{"c":"x","d":null},"b":1}');
  });

  it('differs for another value, another array order, another route or another method', () => {
    const base = requestFingerprint('POST', route, { a: [1, 2] });
    expect(requestFingerprint('POST', route, { a: [2, 1] })).not.toBe(base);
    expect(requestFingerprint('POST', route, { a: [1, 2], b: 0 })).not.toBe(base);
    expect(requestFingerprint('POST', '/api/v1/dingtalk-bots/batch-send', { a: [1, 2] })).not.toBe(base);
    expect(requestFingerprint('PUT', route, { a: [1, 2] })).not.toBe(base);
    // A string "1" is not the number 1.
    expect(requestFingerprint('POST', route, { a: '1' })).not.toBe(
      requestFingerprint('POST', route, { a: 1 }),
    );
  });
});

describe('IDEMPOTENCY_KEY_PATTERN', () => {
  it.each(['a', 'k'.repeat(255), '8e03978e-40d5-43e8-bc93-6894a57f9324', ' ~!"#'])('accepts %j', (key) => {
    expect(IDEMPOTENCY_KEY_PATTERN.test(key)).toBe(true);
  });
  it.each(['', 'k'.repeat(256), 'é', 'a\tb', 'a\nb', '\u007f'])('refuses %j', (key) => {
    expect(IDEMPOTENCY_KEY_PATTERN.test(key)).toBe(false);
  });
});
