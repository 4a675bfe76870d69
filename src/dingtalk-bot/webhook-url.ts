import { isIP } from 'node:net';

const ACCESS_TOKEN = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * Checks a custom robot's webhook URL before the service ever POSTs to it: it must be on one of the
 * configured DingTalk origins (no other host, port or scheme; no user info), on `/robot/send`, with an
 * `access_token` and nothing else in the query. IP-literal hosts are refused unless that exact origin is
 * configured (the simulator's `http://127.0.0.1:PORT`). Returns the problem in plain words, or null.
 */
export function webhookUrlProblem(raw: string, allowedOrigins: readonly string[]): string | null {
  if (raw !== raw.trim() || /\s/.test(raw)) return 'webhook must not contain spaces';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'webhook must be a URL such as https://oapi.dingtalk.com/robot/send?access_token=…';
  }
  if (url.username || url.password) return 'webhook must not contain user info (user:password@)';
  if (!allowedOrigins.includes(url.origin)) {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const what = isIP(host) ? 'an IP address' : `${url.origin}`;
    return `webhook must point to ${allowedOrigins.join(' or ')}, not ${what}`;
  }
  if (url.pathname !== '/robot/send') return 'webhook path must be /robot/send';
  if (url.hash) return 'webhook must not have a #fragment';
  const keys = [...url.searchParams.keys()];
  if (keys.includes('timestamp') || keys.includes('sign')) {
    return 'webhook must not contain timestamp or sign: give the signing secret in secret, the service signs each message';
  }
  const token = url.searchParams.getAll('access_token');
  if (token.length !== 1 || !ACCESS_TOKEN.test(token[0]))
    return 'webhook must have one access_token parameter';
  if (keys.some((key) => key !== 'access_token'))
    return 'webhook must have no query parameter other than access_token';
  return null;
}

/**
 * The webhook as responses show it: the access_token is a credential, so only its first and last four
 * characters remain (`1a2b****9z8y`), and nothing of a short one.
 */
export function maskWebhook(webhook: string): string {
  const url = new URL(webhook);
  const token = url.searchParams.get('access_token') ?? '';
  const masked = token.length >= 12 ? `${token.slice(0, 4)}****${token.slice(-4)}` : '****';
  return `${url.origin}${url.pathname}?access_token=${masked}`;
}
