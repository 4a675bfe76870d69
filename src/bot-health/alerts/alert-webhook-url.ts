/** Hosts an http:// (unencrypted) alert webhook may point to: this machine only. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * What is wrong with an alert webhook's URL, or null: HTTPS (http:// to this machine only, e.g. a relay beside the
 * service), no credentials in it (the secret signs, it is not sent), no fragment.
 */
export function checkWebhookUrl(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'webhook_url must be an absolute URL such as https://ops.example.com/hooks/dingtalk-bots';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
    return 'webhook_url must be https:// (http:// only to localhost, 127.0.0.1 or [::1])';
  }
  if (url.username || url.password) return 'webhook_url must not carry a user name or password';
  if (url.hash) return 'webhook_url must not have a #fragment';
  return null;
}

/** The URL as responses show it: each query value masked, as it may be a token. */
export function maskWebhookUrl(text: string): string {
  const url = new URL(text);
  for (const key of [...url.searchParams.keys()]) url.searchParams.set(key, '****');
  return url.toString().replace(/%2A/g, '*');
}
