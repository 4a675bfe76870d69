import { createHmac } from 'node:crypto';

/** The headers of a signed webhook request. */
export interface WebhookSignatureHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * Signs a webhook request as Standard Webhooks (https://www.standardwebhooks.com, the scheme of Svix's operational
 * webhooks) says: HMAC-SHA256 keyed with the base64-decoded part of `whsec_…`, over `{id}.{timestamp}.{body}`,
 * sent as `v1,{base64 signature}`. `timestamp` is whole seconds since the epoch; a receiver refuses one too far
 * from its clock (replays). `id` stays the same across retries of one message, so a receiver can drop a duplicate.
 */
export function signWebhook(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string,
): WebhookSignatureHeaders {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': `v1,${signature}`,
  };
}
