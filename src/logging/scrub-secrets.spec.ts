import { describe, expect, it } from 'vitest';
import { scrubSecrets } from './scrub-secrets';

describe('scrubSecrets', () => {
  it('masks the webhook access_token and signature in a URL', () => {
    const line =
      'POST https://oapi.dingtalk.com/robot/send?access_token=abc123&timestamp=1&sign=xyz%3D failed';
    expect(scrubSecrets(line)).toBe(
      'POST https://oapi.dingtalk.com/robot/send?access_token=[redacted]&timestamp=1&sign=[redacted] failed',
    );
  });

  it('masks bearer tokens, SEC secrets and secret JSON fields', () => {
    expect(scrubSecrets('Authorization: Bearer eyJhbGciOi.x.y')).toBe('Authorization: Bearer [redacted]');
    expect(scrubSecrets('secret SEC0123456789abcdef0123 is wrong')).toBe('secret SEC[redacted] is wrong');
    expect(scrubSecrets('{"client_secret":"s3cr3t","name":"a"}')).toBe(
      '{"client_secret":"[redacted]","name":"a"}',
    );
  });

  it("masks a confirmation link's token, also with something appended to it", () => {
    expect(scrubSecrets('/c/Ab3_x-9kLmN01Zz_yX8wVu7tS')).toBe('/c/[redacted]');
    expect(scrubSecrets('GET https://notify.example.com/c/Ab3_x-9kLmN01Zz_yX8wVu7tSjunk?x=1 answered')).toBe(
      'GET https://notify.example.com/c/[redacted]?x=1 answered',
    );
  });

  it('leaves ordinary text alone', () => {
    expect(scrubSecrets('Stream bot started successfully bot_id=3')).toBe(
      'Stream bot started successfully bot_id=3',
    );
  });
});
