/** What `npm run bench -- delivery` measures, from the environment (bench/run.js turns `--bots 50` into BOTS=50). */
export interface DeliveryParams {
  db: 'postgres' | 'embedded' | 'both';
  bots: number;
  /** Open loop: reports per second, for `duration` seconds. */
  rate: number;
  duration: number;
  /**
   * Seconds of the same open loop before it, not timed: a process that has just started runs its code cold (the
   * JIT, the database's plans and caches), and its first seconds' latencies would stand for the start-up, not for
   * delivery. Its reports are checked like the others (lost, doubled, signatures, limits). 0 leaves it out.
   */
  warmup: number;
  /** Closed loop: `reports` reports posted by `clients` concurrent clients. */
  reports: number;
  clients: number;
  /** Longest wait, after a phase's last POST, for its reports to arrive (s). */
  drain: number;
  /** The PostgreSQL server the relay (and the service with --db postgres) get fresh databases on. */
  pgUrl: string;
  /** Each bot's `rate_limit_per_minute`: DingTalk's 20. */
  limit: number;
  /** Why a figure asked for was lowered to keep every bot within its limit. */
  caps: string[];
}

function nonNegative(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be 0 or more (got "${raw}")`);
  return value;
}

const DB_CHOICES = ['postgres', 'embedded', 'both'] as const;

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number (got "${raw}")`);
  return value;
}

export function readParams(env: NodeJS.ProcessEnv): DeliveryParams {
  const db = (env.DB ?? 'postgres') as DeliveryParams['db'];
  if (!DB_CHOICES.includes(db)) throw new Error(`DB must be one of ${DB_CHOICES.join(', ')} (got "${db}")`);
  const pgUrl = env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const host = new URL(pgUrl).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) {
    throw new Error(`PG_URL must be a server on this machine (got host ${host})`);
  }
  const params: DeliveryParams = {
    db,
    bots: Math.floor(positive(env, 'BOTS', 1000)),
    rate: positive(env, 'RATE', 200),
    duration: positive(env, 'DURATION', 20),
    warmup: nonNegative(env, 'WARMUP', 5),
    reports: Math.floor(positive(env, 'REPORTS', 10_000)),
    clients: Math.floor(positive(env, 'CLIENTS', 50)),
    drain: positive(env, 'DRAIN', 120),
    pgUrl,
    limit: 20,
    caps: [],
  };
  capToRateLimit(params);
  return params;
}

/**
 * Reports go to the stores round-robin, one bot per store, and both phases run within a few minutes of each other:
 * every bot must stay within its limit in any sliding minute across both, or the figures would measure DingTalk's
 * throttling rather than delivery. Counted conservatively: the open loop's reports in its busiest minute plus all
 * of the closed loop's.
 */
function capToRateLimit(params: DeliveryParams): void {
  // The warm-up runs at the open loop's rate just before it: the same busiest minute.
  const openMinute = Math.min(params.warmup + params.duration, 60);
  const openPerBot = () => Math.ceil((params.rate * openMinute) / params.bots);
  if (openPerBot() > params.limit - 1) {
    const rate = Math.floor(((params.limit - 1) * params.bots) / openMinute);
    params.caps.push(
      `rate ${params.rate}/s over ${params.bots} bots is ${openPerBot()} a minute per bot; capped to ${rate}/s`,
    );
    params.rate = rate;
  }
  const room = params.limit - openPerBot();
  if (Math.ceil(params.reports / params.bots) > room) {
    const reports = room * params.bots;
    params.caps.push(
      `${params.reports} reports over ${params.bots} bots would put a bot over ${params.limit} a minute ` +
        `(with the open loop's ${openPerBot()}); capped to ${reports}`,
    );
    params.reports = reports;
  }
  if (params.rate < 1 || params.reports < 1)
    throw new Error('too few bots for any load within the rate limit');
}

/** The same run as a command line. */
export function commandLine(params: DeliveryParams): string {
  return (
    `npm run bench -- delivery --db ${params.db} --bots ${params.bots} --rate ${params.rate} ` +
    `--duration ${params.duration} --warmup ${params.warmup} --reports ${params.reports} --clients ${params.clients} --drain ${params.drain}`
  );
}
