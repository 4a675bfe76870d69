import { FastifyInstance, FastifyReply } from 'fastify';
import { SimulatorContext } from './simulator-context';

/**
 * Queued faults (control API: `POST /_sim/faults`) hit before any route runs: the next N requests to a path answer
 * HTTP 500, never answer (a timeout for the caller), or answer with a chosen DingTalk error code.
 */
export function registerFaults(app: FastifyInstance, context: SimulatorContext): void {
  const hanging = new Set<FastifyReply>();
  context.onClose(() => {
    for (const reply of hanging) reply.raw.destroy();
    hanging.clear();
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
      case 'errcode': {
        const newApi = path.startsWith('/v1.0/');
        return newApi
          ? reply
              .code(fault.httpStatus ?? 400)
              .send({ code: fault.errcode ?? 'Forbidden', message: fault.errmsg ?? 'simulated fault' })
          : reply
              .code(fault.httpStatus ?? 200)
              .send({ errcode: fault.errcode ?? -1, errmsg: fault.errmsg ?? 'simulated fault' });
      }
    }
  });
}
