import { randomUUID } from 'node:crypto';
import { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body as it arrived, for byte limits and error messages. */
    rawBody?: string;
  }
}

/** Far above any DingTalk limit, so that DingTalk's own size checks (20,000 bytes…) are the ones that answer. */
export const BODY_LIMIT_BYTES = 5 * 1024 * 1024;

/**
 * The old API's paths and the one method each takes. Another method gets `43001 需要GET请求` / `43002 需要POST请求`
 * (DingTalk's global error codes; _unconfirmed_ for these exact paths), except `POST /gettoken`, which DingTalk
 * answers `40035` because it looks for its parameters in the query (docs/dingtalk/access-tokens.md).
 */
const OLD_API_ROUTES: Record<string, 'GET' | 'POST'> = {
  '/gettoken': 'GET',
  '/robot/send': 'POST',
  '/robot/sendBySession': 'POST',
  '/topapi/message/corpconversation/asyncsend_v2': 'POST',
  '/topapi/message/corpconversation/getsendresult': 'POST',
};

type Family = 'old' | 'new' | 'simulator';

/** Which of DingTalk's API families a path belongs to (docs/dingtalk/README.md); `/_sim/…` and `/` are ours. */
export function apiFamily(path: string): Family {
  if (path === '/' || path.startsWith('/_sim/')) return 'simulator';
  return path.startsWith('/v1.0/') ? 'new' : 'old';
}

/** A new-API refusal: an HTTP error status with `{code, message, requestid}` (docs/dingtalk/README.md). */
export function newApiError(reply: FastifyReply, status: number, code: string, message: string) {
  return reply.code(status).send({ code, message, requestid: randomUUID().toUpperCase() });
}

/** An old-API refusal: HTTP 200 with `{errcode, errmsg}` (docs/dingtalk/README.md). */
function oldApiError(reply: FastifyReply, errcode: number, errmsg: string) {
  return reply.code(200).send({ errcode, errmsg, request_id: randomUUID().replace(/-/g, '').slice(0, 12) });
}

/**
 * Bodies of every content type are read as text and left to the routes: DingTalk answers a missing or wrong
 * `Content-Type`, malformed JSON or an oversized message with its own codes (`43004`, `460101`… with HTTP 200), never
 * with a web framework's 400 or 415. JSON parses to the body (`undefined` when it is not JSON); any other type leaves
 * the body `undefined`, with the text in `rawBody`.
 */
export function acceptAnyBody(app: FastifyInstance): void {
  app.addContentTypeParser(
    ['application/json', 'text/plain'],
    { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES },
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
  app.addContentTypeParser(
    '*',
    { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES },
    (request: FastifyRequest, body: string | Buffer, done: (error: Error | null, body?: unknown) => void) => {
      request.rawBody = typeof body === 'string' ? body : body.toString('utf8');
      done(null, undefined);
    },
  );
  // An empty Content-Type header would otherwise be refused by the framework before any route could answer.
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.headers['content-type'] === '') delete request.headers['content-type'];
    done();
  });
}

/**
 * What DingTalk answers where no route of the simulator would: an unknown path or a wrong method, and whatever the
 * framework itself refuses (a body over its limit…). Old-API paths answer HTTP 200 with an `errcode`, new-API paths
 * DingTalk's gateway error (`InvalidAction.NotFound` is how its API gateway names an unknown API; _unconfirmed_).
 * The simulator's own routes (`/_sim/…`) keep plain HTTP errors.
 */
export function answerLikeDingTalk(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    switch (apiFamily(path)) {
      case 'simulator':
        return reply.code(404).send({ error: `No simulator route ${request.method} ${path}` });
      case 'new':
        return newApiError(
          reply,
          404,
          'InvalidAction.NotFound',
          'Specified api is not found, please check your url and method.',
        );
      case 'old': {
        const method = OLD_API_ROUTES[path];
        if (method === 'GET') return oldApiError(reply, 43001, '需要GET请求');
        if (method === 'POST') return oldApiError(reply, 43002, '需要POST请求');
        return oldApiError(reply, 404, '请求的URI地址不存在');
      }
    }
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const path = request.url.split('?')[0];
    const status = error.statusCode ?? 500;
    switch (apiFamily(path)) {
      case 'simulator':
        return reply.code(status).send({ error: error.message });
      case 'new':
        return status >= 500
          ? newApiError(
              reply,
              500,
              'InternalError',
              'The request processing has failed due to some unknown error.',
            )
          : newApiError(reply, 400, 'InvalidParameter', error.message);
      case 'old':
        if (status >= 500) return oldApiError(reply, -1, '系统繁忙');
        if (status === 413 && path.startsWith('/robot/')) {
          return oldApiError(reply, 460101, 'message too long, exceed 20000 bytes');
        }
        return oldApiError(reply, 40035, '不合法的参数');
    }
  });
}
