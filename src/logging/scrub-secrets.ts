/**
 * Last line of defence for log lines: whatever slipped into a message string is masked before it is written.
 * Structured fields are handled by pino's `redact` (see create-logger.ts); this covers free text such as an
 * error message that quotes a URL.
 */
const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  // Webhook and old-API tokens travel in the query string (docs/dingtalk/README.md, custom-robot.md).
  [/([?&](?:access_token|accessToken|sign|appsecret|appSecret|ticket|session)=)[^&\s"']+/g, '$1[redacted]'],
  [/(Bearer\s+)[A-Za-z0-9._~+/-]+=*/gi, '$1[redacted]'],
  // A kitchen confirmation link's token is its whole authority (docs/confirmation.md): whoever reads it can confirm
  // the report. Everything after /c/ up to the path's end, so that a token with something appended is masked too.
  [/(\/c\/)[^/?#\s"'&]+/g, '$1[redacted]'],
  // Custom-robot signing secrets start with SEC (docs/dingtalk/custom-robot.md).
  [/\bSEC[0-9a-fA-F]{16,}\b/g, 'SEC[redacted]'],
  [
    /("(?:secret|client_secret|clientSecret|appSecret|access_token|accessToken|password)"\s*:\s*)"[^"]*"/g,
    '$1"[redacted]"',
  ],
];

export function scrubSecrets(text: string): string {
  let result = text;
  for (const [pattern, replacement] of PATTERNS) result = result.replace(pattern, replacement);
  return result;
}

/** Field names whose values never reach a log line, at any depth that pino's redact paths cover. */
export const SECRET_FIELD_NAMES = [
  'authorization',
  'secret',
  'client_secret',
  'clientSecret',
  'appSecret',
  'access_token',
  'accessToken',
  'password',
  'token',
  'ticket',
  'webhook',
  'sessionWebhook',
] as const;
