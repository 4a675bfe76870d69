import { createHash } from 'node:crypto';
import { FastifyInstance } from 'fastify';

/**
 * A successful GET under `prefix` carries a weak ETag of its body and `Cache-Control: private, no-cache`; asked
 * again with that ETag in `If-None-Match`, it answers 304 without the body. Why: the console polls the lists it shows
 * (docs/console.md, "Live"), and most polls find nothing new — a browser then revalidates from its own cache and
 * the answer is a few headers. The handler still runs (the body must be made to be compared): this saves the wire
 * and the page's work, not the query. `private`: an answer depends on the caller's token, no shared cache may keep
 * it.
 */
export function answerConditionalGets(fastify: FastifyInstance, prefix: string): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (request.method !== 'GET' || reply.statusCode !== 200 || typeof payload !== 'string') {
      return done(null, payload);
    }
    if (!request.url.startsWith(prefix)) return done(null, payload);
    const etag = `W/"${createHash('sha1').update(payload).digest('base64url')}"`;
    void reply.header('etag', etag);
    void reply.header('cache-control', 'private, no-cache');
    if (matches(request.headers['if-none-match'], etag)) {
      void reply.code(304);
      void reply.removeHeader('content-type');
      void reply.removeHeader('content-length');
      return done(null, '');
    }
    done(null, payload);
  });
}

/** `If-None-Match` is a list of tags (or `*`); weak comparison, as RFC 9110 prescribes for it. */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || bare(tag) === bare(etag));
}
