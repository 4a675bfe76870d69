import { describe, expect, it } from 'vitest';
import { signWebhook } from './webhook-signature';

describe('signWebhook', () => {
  // The example of the Standard Webhooks specification (standard-webhooks/standard-webhooks, spec/standard-webhooks.md
  // and its reference libraries' tests): this secret, id, timestamp and body give this signature.
  it('signs the specification’s example as its reference libraries do', () => {
    const headers = signWebhook(
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      1614265330,
      '{"test": 2432232314}',
    );
    expect(headers).toEqual({
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    });
  });
});
