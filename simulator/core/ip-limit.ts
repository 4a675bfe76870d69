import { randomBytes } from 'node:crypto';
import { FastifyInstance } from 'fastify';
import { THROTTLE_PAGE } from './faults';
import { SimulatorContext } from './simulator-context';

/**
 * DingTalk's ceiling per egress IP (docs/dingtalk/README.md, "Call limits"): past `maxCalls` calls in any
 * `windowMs` (DingTalk: 10,000 in 20 s; unconfirmed) the IP is blocked for `blockMs` (5 minutes), and every call
 * meanwhile gets the block answer — JSON `{"status":1111,"wait":…}` (HTTP 200; `wait` in minutes, fractional when
 * a test's block is shorter than a minute) or an HTML page (HTTP 403).
 */
export interface IpLimit {
  windowMs: number;
  maxCalls: number;
  blockMs: number;
  answer: 'json' | 'html';
}

/** What the standing IP limit saw: every call it let through or blocked, with the simulator's time. */
export interface IpLimitLog {
  passed: number[];
  blocked: number[];
}

export class IpLimiter {
  limit: IpLimit | null = null;
  blockedUntil = 0;
  readonly log: IpLimitLog = { passed: [], blocked: [] };
  /** Arrivals counted in the current window (all callers are one IP: the simulator listens on loopback). */
  private arrivals: number[] = [];

  set(limit: IpLimit | null): void {
    this.limit = limit;
    this.arrivals = [];
  }

  /** Lifts the limit and ends a block (a test moving on), keeping the log. */
  reset(): void {
    this.set(null);
    this.blockedUntil = 0;
    this.log.passed.length = 0;
    this.log.blocked.length = 0;
  }

  /** Counts a call: true when it may pass, false when it gets the block answer. */
  take(now: number): boolean {
    if (now < this.blockedUntil) {
      this.log.blocked.push(now);
      return false;
    }
    if (!this.limit) {
      this.log.passed.push(now);
      return true;
    }
    this.arrivals = this.arrivals.filter((at) => at > now - this.limit!.windowMs);
    if (this.arrivals.length >= this.limit.maxCalls) {
      this.blockedUntil = now + this.limit.blockMs;
      this.arrivals = [];
      this.log.blocked.push(now);
      return false;
    }
    this.arrivals.push(now);
    this.log.passed.push(now);
    return true;
  }
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
