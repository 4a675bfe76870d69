import { Logger } from 'pino';
import { scrubSecrets } from '../../logging/scrub-secrets';

/** What the access log says of one answer. */
export interface AnsweredRequest {
  requestId: string;
  method: string;
  url: string;
  status: number;
  ms: number;
}

/**
 * The one line every answer leaves in the log, with its request id (the X-Request-Id the caller got). Written by
 * Fastify's onResponse hook for requests that reach routing, and by the handlers of the answers Fastify's router and
 * Node's HTTP parser give by themselves (framework-errors.ts), which run no hook.
 */
export function logAnswer(log: Logger, answer: AnsweredRequest): void {
  // Not even built below info (LOG_LEVEL=warn): scrubbing the URL is four regular expressions on every request.
  if (!log.isLevelEnabled('info')) return;
  log.info(
    {
      req_id: answer.requestId,
      method: answer.method,
      // A structured field, which the pattern scrubber of message strings never sees: a caller's ?access_token= or
      // ?sign= (a webhook URL pasted as a path) would reach the log as it came.
      url: scrubSecrets(answer.url),
      status: answer.status,
      ms: answer.ms,
    },
    'request completed',
  );
}
