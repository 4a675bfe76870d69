import { describe, expect, it } from 'vitest';
import { signedWebhookUrl, webhookSignature } from './webhook-signing';

// The published test vectors of docs/dingtalk/custom-robot.md (Signing), recomputed with Node crypto and Python hmac.
describe('webhook signing', () => {
  it.each([
    ['this is secret', 1577262236757, 'hmPWwU+7lVdm3ZZz0r9tSfx0L4Q26jWOZr9+Gs6EZQM='],
    ['SEC1234567890abcdef', 1700000000000, 'RqBq3E1RTBDv3n2QBCh4adZ2WHk9mVklyUoDBLxarjI='],
    ['this is a secret', 1577262236757, 'DJrE6qdyVGCQz9z5r2MDuNcNAhwYnuAkyj13cx169CA='],
  ])('signs %s at %d', (secret, timestamp, expected) => {
    expect(webhookSignature(secret, timestamp)).toBe(expected);
  });

  it('puts timestamp and the once-encoded sign in the query, keeping access_token', () => {
    const url = signedWebhookUrl(
      'https://oapi.dingtalk.com/robot/send?access_token=abc',
      'this is secret',
      1577262236757,
    );
    expect(url).toBe(
      'https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1577262236757&sign=hmPWwU%2B7lVdm3ZZz0r9tSfx0L4Q26jWOZr9%2BGs6EZQM%3D',
    );
  });

  it('leaves an unsigned webhook alone', () => {
    expect(signedWebhookUrl('https://oapi.dingtalk.com/robot/send?access_token=abc', null, 1)).toBe(
      'https://oapi.dingtalk.com/robot/send?access_token=abc',
    );
  });
});
