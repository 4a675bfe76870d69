import { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body as it arrived, for byte limits and error messages. */
    rawBody?: string;
  }
}

/**
 * DingTalk answers malformed or oversized bodies with its own error codes (HTTP 200), not with the framework's 400s,
 * so the simulator keeps the raw text and lets each route decide. A body that is not JSON parses to `undefined`.
 */
export function acceptRawJson(app: FastifyInstance): void {
  app.addContentTypeParser(
    ['application/json', 'text/plain'],
    { parseAs: 'string', bodyLimit: 5 * 1024 * 1024 },
    (request: FastifyRequest, body: string | Buffer, done: (error: Error | null, body?: unknown) => void) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      request.rawBody = text;
      try {
        done(null, text.length === 0 ? undefined : JSON.parse(text));
      } catch {
        done(null, undefined);
      }
    },
  );
}
