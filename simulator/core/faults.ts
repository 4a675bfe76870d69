import { randomBytes } from 'node:crypto';
import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { apiFamily, newApiError } from './dingtalk-answers';
import { SimulatorContext } from './simulator-context';

/**
 * Queued faults (control API: `POST /_sim/faults`) hit before any route runs: the next N requests to a path answer
 * HTTP 500, never answer (a timeout for the caller), answer with a chosen DingTalk error code, answer HTTP 429
 * (with `Retry-After` if given), answer an HTML page as DingTalk does when it throttles or blocks a caller
 * (docs/dingtalk/README.md; HTTP 200 unless `http_status` says otherwise), or are handled as usual and answered
 * late (`slow`: DingTalk took the message, its answer is slow in coming).
 */
export function registerFaults(app: FastifyInstance, context: SimulatorContext): void {
  const hanging = new Set<FastifyReply>();
  /** Requests a `slow` fault holds back, and how long (the simulator's clock). */
  const slow = new WeakMap<FastifyRequest, number>();
  const holding = new Set<() => void>();
  context.onClose(() => {
    for (const reply of hanging) reply.raw.destroy();
    hanging.clear();
    for (const release of holding) release();
    holding.clear();
  });

  app.addHook('onSend', async (request, _reply, payload) => {
    const delayMs = slow.get(request);
    if (delayMs === undefined) return payload;
    await new Promise<void>((resolve) => {
      const release = () => {
        holding.delete(release);
        resolve();
      };
      holding.add(release);
      context.clock.setTimeout(release, delayMs);
    });
    return payload;
  });

  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0];
    if (path.startsWith('/_sim/') || path === '/connect') return;
    const fault = context.state.takeFault(path);
    if (!fault) return;
    switch (fault.mode) {
      case 'http_500':
        return reply.code(500).type('text/plain').send('Internal Server Error (simulated fault)');
      case 'timeout':
        hanging.add(reply);
        reply.raw.on('close', () => hanging.delete(reply));
        reply.hijack();
        return reply;
      case 'http_429':
        if (fault.retryAfter !== undefined) reply.header('retry-after', fault.retryAfter);
        return reply.code(429).type('text/html; charset=utf-8').send(THROTTLE_PAGE);
      case 'html_page':
        if (fault.retryAfter !== undefined) reply.header('retry-after', fault.retryAfter);
        return reply
          .code(fault.httpStatus ?? 200)
          .type('text/html; charset=utf-8')
          .send(THROTTLE_PAGE);
      case 'slow':
        slow.set(request, fault.delayMs ?? 0);
        return;
      case 'errcode':
        // Each family's error shape: the new API's carries a requestid as DingTalk's gateway answers do.
        return apiFamily(path) === 'new'
          ? newApiError(
              reply,
              fault.httpStatus ?? 400,
              String(fault.errcode ?? 'Forbidden'),
              fault.errmsg ?? 'simulated fault',
            )
          : reply
              .code(fault.httpStatus ?? 200)
              .send({ errcode: fault.errcode ?? -1, errmsg: fault.errmsg ?? 'simulated fault' });
    }
  });
}

/** Every DingTalk API call (not the control API, the page or the Stream socket) counts. */
export function registerIpLimit(app: FastifyInstance, context: SimulatorContext): void {
  const limiter = context.state.ipLimit;
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0];
    if (path.startsWith('/_sim/') || path === '/connect' || path === '/' || path.startsWith('/page')) return;
    if (!limiter.limit && limiter.blockedUntil === 0) return;
    if (limiter.take(context.clock.now())) return;
    const limit = limiter.limit;
    if (limit?.answer === 'html') return reply.code(403).type('text/html; charset=utf-8').send(THROTTLE_PAGE);
    return reply.code(200).send({
      status: 1111,
      wait: (limit?.blockMs ?? 300_000) / 60_000,
      source: 'x5',
      punish: 'deny',
      uuid: randomBytes(8).toString('hex'),
    });
  });
}

/** What a throttle or block page looks like to a client that asked for JSON. */
export const THROTTLE_PAGE =
  '<!DOCTYPE html><html><head><meta charset="utf-8"><title>访问受限</title></head>' +
  '<body><h1>访问过于频繁，请稍后再试</h1><p>Too many requests (simulated).</p></body></html>';
