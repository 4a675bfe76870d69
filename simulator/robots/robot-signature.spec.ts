import { describe, expect, it } from 'vitest';
import { expectedSignature, verifySignature } from './robot-signature';

// The published vectors (docs/dingtalk/custom-robot.md, Signing): the simulator proves its check on them, not on
// the service's signing code.
const VECTORS: Array<[secret: string, timestamp: string, base64: string, inUrl: string]> = [
  [
    'this is secret',
    '1577262236757',
    'hmPWwU+7lVdm3ZZz0r9tSfx0L4Q26jWOZr9+Gs6EZQM=',
    'hmPWwU%2B7lVdm3ZZz0r9tSfx0L4Q26jWOZr9%2BGs6EZQM%3D',
  ],
  [
    'SEC1234567890abcdef',
    '1700000000000',
    'RqBq3E1RTBDv3n2QBCh4adZ2WHk9mVklyUoDBLxarjI=',
    'RqBq3E1RTBDv3n2QBCh4adZ2WHk9mVklyUoDBLxarjI%3D',
  ],
  ['this is a secret', '1577262236757', 'DJrE6qdyVGCQz9z5r2MDuNcNAhwYnuAkyj13cx169CA=', ''],
];

describe('simulator: custom robot signature check', () => {
  it.each(VECTORS)('computes the published sign of %s at %s', (secret, timestamp, base64) => {
    expect(expectedSignature(secret, timestamp)).toBe(base64);
  });

  it.each(VECTORS.filter(([, , , inUrl]) => inUrl !== ''))(
    'accepts the once-encoded URL form of %s, refuses it encoded twice or with + left raw',
    (secret, timestamp, _base64, inUrl) => {
      const decoded = (query: string) => new URLSearchParams(query).get('sign') ?? undefined;
      const now = Number(timestamp);
      expect(verifySignature(secret, timestamp, decoded(`sign=${inUrl}`), now)).toBe('valid');
      expect(verifySignature(secret, timestamp, decoded(`sign=${encodeURIComponent(inUrl)}`), now)).toBe(
        'invalid',
      );
      const raw = decoded(`sign=${inUrl.replace(/%2B/g, '+')}`);
      expect(verifySignature(secret, timestamp, raw, now)).toBe(inUrl.includes('%2B') ? 'invalid' : 'valid');
    },
  );

  it('allows an hour either way, and checks nothing for a robot without a secret', () => {
    const [secret, timestamp, sign] = VECTORS[0];
    const at = Number(timestamp);
    expect(verifySignature(secret, timestamp, sign, at + 3_600_000)).toBe('valid');
    expect(verifySignature(secret, timestamp, sign, at - 3_600_000)).toBe('valid');
    expect(verifySignature(secret, timestamp, sign, at + 3_600_001)).toBe('expired');
    expect(verifySignature(secret, 'yesterday', sign, at)).toBe('expired');
    expect(verifySignature(secret, timestamp, undefined, at)).toBe('invalid');
    expect(verifySignature(null, undefined, undefined, at)).toBe('absent');
  });
});
