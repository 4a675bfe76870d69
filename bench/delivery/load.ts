import { Pool } from 'undici';
import { BenchBot } from './systems';

/** The clock shared with the fake robot's process: epoch milliseconds with sub-millisecond resolution. */
export const now = () => performance.timeOrigin + performance.now();

const POST_TIMEOUT_MS = 60_000;

/** What one load phase sent: per report (its sequence number), when it was posted, and what came back. */
/** The marker's phase letter: warm-up, open loop, closed loop. */
export type Phase = 'w' | 'o' | 'c';

export interface PhaseLoad {
  phase: Phase;
  /** Per seq: when the POST was due (open loop) or sent (closed loop); only reports answered 201. */
  acceptedAt: Map<number, number>;
  postLatencies: number[];
  posted: number;
  errors: number;
  errorSamples: string[];
  firstPostAt: number;
  lastAnswerAt: number;
  /** True when the closed loop stopped at its time bound before posting everything. */
  truncated: boolean;
}

export interface Target {
  url: string;
  token: string;
}

const marker = (phase: string, seq: number) => `BENCH${phase}${seq}X`;

/** The store a report goes to: round-robin, so every bot gets the same share. */
export const storeOf = (seq: number, bots: number) => (seq % bots) + 1;

function emptyLoad(phase: Phase): PhaseLoad {
  return {
    phase,
    acceptedAt: new Map(),
    postLatencies: [],
    posted: 0,
    errors: 0,
    errorSamples: [],
    firstPostAt: now(),
    lastAnswerAt: 0,
    truncated: false,
  };
}

async function postReport(
  pool: Pool,
  target: Target,
  load: PhaseLoad,
  seq: number,
  bots: number,
  startedAt: number,
) {
  load.posted++;
  try {
    const response = await pool.request({
      method: 'POST',
      path: '/api/v1/menu-reports',
      headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        store_id: storeOf(seq, bots),
        dish_name: marker(load.phase, seq),
        quantity: 1,
        unit: '份',
      }),
      headersTimeout: POST_TIMEOUT_MS,
      bodyTimeout: POST_TIMEOUT_MS,
    });
    const text = await response.body.text();
    const at = now();
    load.lastAnswerAt = Math.max(load.lastAnswerAt, at);
    if (response.statusCode === 201) {
      load.acceptedAt.set(seq, startedAt);
      load.postLatencies.push(at - startedAt);
      return;
    }
    load.errors++;
    if (load.errorSamples.length < 5) load.errorSamples.push(`${response.statusCode} ${text.slice(0, 200)}`);
  } catch (error) {
    load.errors++;
    if (load.errorSamples.length < 5) load.errorSamples.push((error as Error).message);
  }
}

/**
 * Open loop: report i is due at start + i / rate, whether or not earlier ones were answered. Latency is measured
 * from when it was due, so a service that falls behind is charged for the wait (no coordinated omission).
 */
export async function openLoop(
  target: Target,
  bots: number,
  rate: number,
  durationS: number,
  phase: 'w' | 'o' = 'o',
): Promise<PhaseLoad> {
  const load = emptyLoad(phase);
  const pool = new Pool(target.url, { connections: 256 });
  const total = Math.round(rate * durationS);
  const inFlight: Promise<void>[] = [];
  const start = now();
  load.firstPostAt = start;
  try {
    for (let seq = 0; seq < total;) {
      const current = now();
      while (seq < total && start + (seq * 1000) / rate <= current) {
        inFlight.push(postReport(pool, target, load, seq, bots, start + (seq * 1000) / rate));
        seq++;
      }
      if (seq < total) {
        const wait = start + (seq * 1000) / rate - now();
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
      }
    }
    await Promise.all(inFlight);
  } finally {
    await pool.close();
  }
  return load;
}

/** Closed loop: `clients` clients, each posting its next report as soon as the last one was answered. */
export async function closedLoop(
  target: Target,
  bots: number,
  reports: number,
  clients: number,
  maxMs: number,
): Promise<PhaseLoad> {
  const load = emptyLoad('c');
  const pool = new Pool(target.url, { connections: clients });
  let next = 0;
  load.firstPostAt = now();
  const deadline = load.firstPostAt + maxMs;
  const client = async () => {
    while (next < reports) {
      if (now() > deadline) {
        load.truncated = true;
        return;
      }
      const seq = next++;
      await postReport(pool, target, load, seq, bots, now());
    }
  };
  try {
    await Promise.all(Array.from({ length: clients }, client));
  } finally {
    await pool.close();
  }
  return load;
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  return (await response.json()) as T;
}

/**
 * Waits until every accepted report of the phase has arrived at the robot, or nothing new arrived for `stallMs`,
 * or `maxMs` passed. Returns how long it waited and whether everything arrived.
 */
export async function drain(robotUrl: string, load: PhaseLoad, maxMs: number, stallMs = 30_000) {
  const started = now();
  let last = -1;
  let lastProgress = started;
  for (;;) {
    const { arrived } = await getJson<{ arrived: number }>(`${robotUrl}/_bench/count?phase=${load.phase}`);
    const t = now();
    if (arrived !== last) {
      last = arrived;
      lastProgress = t;
    }
    if (arrived >= load.acceptedAt.size) return { complete: true, waitedMs: t - started };
    if (t - started > maxMs || t - lastProgress > stallMs) return { complete: false, waitedMs: t - started };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export interface PhaseResult {
  posted: number;
  accepted: number;
  errors: number;
  errorSamples: string[];
  truncated: boolean;
  drainComplete: boolean;
  delivered: number;
  /** Accepted (201) but never arrived at its bot by the end of the drain. */
  lost: number;
  /** Arrived at a robot other than its store's bot. */
  misrouted: number;
  /** Arrived without a 201 (its POST failed or timed out after the report was written). */
  unconfirmed: number;
  postMs: { p50: number; p99: number };
  deliveryMs: { p50: number; p99: number };
  /** Accepted reports per second, first POST to last answer. */
  acceptedPerS: number;
  /** Delivered reports per second, first POST to last arrival. */
  deliveredPerS: number;
}

export function percentile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Matches the robot's arrivals to the phase's accepted reports. */
export async function analyse(
  robotUrl: string,
  load: PhaseLoad,
  bots: BenchBot[],
  drainComplete: boolean,
): Promise<PhaseResult> {
  const { arrivals } = await getJson<{ arrivals: [string, number, number][] }>(
    `${robotUrl}/_bench/arrivals?phase=${load.phase}`,
  );
  const latencies: number[] = [];
  let misrouted = 0;
  let unconfirmed = 0;
  let lastArrival = load.firstPostAt;
  for (const [token, seq, at] of arrivals) {
    const postedAt = load.acceptedAt.get(seq);
    if (postedAt === undefined) {
      unconfirmed++;
      continue;
    }
    if (bots[storeOf(seq, bots.length) - 1].token !== token) {
      misrouted++;
      continue;
    }
    latencies.push(at - postedAt);
    lastArrival = Math.max(lastArrival, at);
  }
  const delivered = latencies.length;
  const seconds = (to: number) => Math.max(0.001, (to - load.firstPostAt) / 1000);
  return {
    posted: load.posted,
    accepted: load.acceptedAt.size,
    errors: load.errors,
    errorSamples: load.errorSamples,
    truncated: load.truncated,
    drainComplete,
    delivered,
    lost: load.acceptedAt.size - delivered,
    misrouted,
    unconfirmed,
    postMs: { p50: percentile(load.postLatencies, 0.5), p99: percentile(load.postLatencies, 0.99) },
    deliveryMs: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) },
    acceptedPerS: load.acceptedAt.size / seconds(load.lastAnswerAt),
    deliveredPerS: delivered / seconds(lastArrival),
  };
}
