import { FastifyAdapter, RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { success } from './api-envelope';

/** The key in a route's Fastify config (`reply.routeOptions.config`) that RawResponse sets. */
const RAW_RESPONSE = 'rawResponse';

/**
 * The handler's return value is the whole body (health, metrics), not wrapped in the envelope. A route's Fastify
 * config, which the adapter reads from the handler (so this decorates methods, not controllers).
 */
export const RawResponse = (): MethodDecorator => RouteConfig({ [RAW_RESPONSE]: true });

/**
 * Nest's Fastify adapter, wrapping every handler's result in `{code: 0, msg: "success", data}` as it hands the result
 * to Fastify (Nest calls `reply` with what a handler returned; errors leave through GlobalExceptionFilter, which sends
 * its own envelope with Fastify's reply).
 *
 * Why here and not in an interceptor, Nest's usual place: a route with any interceptor runs its handler inside an rxjs
 * pipeline (defer, mergeAll, from, map, AsyncResource bindings: a dozen objects a request, and their garbage), a route
 * without one calls it directly. The envelope and the missing-store_id check (auth/creates-in-store.ts, an exception
 * filter) were the only global interceptors, and the pipeline was a tenth of the service's CPU per report
 * (docs/performance.md, round 3).
 */
export class EnvelopingFastifyAdapter extends FastifyAdapter {
  override reply(response: Parameters<FastifyAdapter['reply']>[0], body: unknown, statusCode?: number) {
    const raw = isFastifyReply(response) && response.routeOptions.config?.[RAW_RESPONSE] === true;
    return super.reply(response, raw ? body : success(body ?? null), statusCode);
  }
}

function isFastifyReply(response: unknown): response is FastifyReply & {
  routeOptions: { config?: Record<string, unknown> };
} {
  return typeof response === 'object' && response !== null && 'routeOptions' in response;
}
