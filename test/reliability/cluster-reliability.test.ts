import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimApp } from '../../simulator/core/simulator-state';
import { startSimulator, Simulator } from '../../simulator/simulator';
import { issueToken } from '../../src/auth/token-issuer';
import { TEST_TMP_ROOT } from '../support/paths';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { Cluster, Instance } from './cluster';
import { machine, printTable, saveRun, ScenarioResult } from './report';

/**
 * `npm run test:reliability`: three instances of the service as separate processes on one PostgreSQL, against the
 * DingTalk simulator, while instances are SIGKILLed and DingTalk misbehaves. Every report the API accepted (201)
 * must reach its robot; what reached it twice is counted (delivery is at least once: a send DingTalk accepted just
 * before a crash goes out again). Prints the table and appends it to bench/results/reliability-<date>.json.
 */
process.env.TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';

const WEBHOOK_BOTS = 50;
const STREAM_BOTS = 6;
const STREAM_STORE = 1_000;
/** What the issue asks of a takeover after a crash: the lease (30 s) runs out, the next round (10 s) takes it. */
const TAKEOVER_LIMIT_MS = 45_000;
const DRAIN_LIMIT_MS = 8 * 60_000;

const started = Date.now();
const results: ScenarioResult[] = [];
const loadAtStart = machine().load_average;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls every 250 ms (each probe may ask the cluster over HTTP) until `condition` holds, or fails after `limitMs`. */
async function eventually(
  condition: () => boolean | Promise<boolean>,
  description: string,
  limitMs: number,
): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${limitMs} ms waiting for ${description}`);
    await sleep(250);
  }
}

describe('reliability: three instances on one PostgreSQL against the simulator', () => {
  let sim: Simulator;
  let database: TestDatabase;
  let cluster: Cluster;
  let token: string;
  let apps: SimApp[] = [];
  /** Each report marker's arrivals at its robot (when, and whether in a digest), over every accepted message. */
  const seen = new Map<string, Array<{ at: number; digest: boolean }>>();
  let scanned = 0;
  let roundRobin = 0;
  /** Reports posted so far by the burst running now (so a kill can say how far into the burst it came). */
  let postedNow = 0;

  beforeAll(async () => {
    mkdirSync(TEST_TMP_ROOT, { recursive: true });
    sim = await startSimulator();
    database = await createTestDatabase();
    const secret = randomBytes(48).toString('base64url');
    token = issueToken(secret, { sub: 'reliability', role: 'admin' });
    cluster = new Cluster({
      ...sim.env,
      DATABASE_URL: database.connection.url,
      AUTH_JWT_SECRET: secret,
      DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'warn',
      // DingTalk's pace, shortened where the test would otherwise wait on a timer rather than on the service:
      // retries within seconds (30 % of sends fail), a 2 s pause after a throttle instead of 10 minutes, and a 1 s
      // poll so a dead instance's claims are picked up soon. The send deadline (and so the send lease) is the
      // production one.
      DELIVERY_RETRY_SCHEDULE: '1s,1s,2s,2s,3s,3s,5s,5s,5s,5s,5s,5s',
      DELIVERY_THROTTLE_PAUSE_MS: '2000',
      DELIVERY_POLL_INTERVAL_MS: '1000',
    });
    await Promise.all([cluster.start(), cluster.start(), cluster.start()]);

    // Webhook bots, one store each (the simulator's robots do not throttle by themselves: only injected faults
    // do), and stream bots in a store of their own, all created through the first instance.
    const [first] = cluster.live();
    for (let store = 1; store <= WEBHOOK_BOTS; store++) {
      const robot = sim.state.registerRobot({ name: `store ${store}`, ratePerMinute: 1_000_000 });
      const created = await api(first, 'POST', '/api/v1/dingtalk-bots', {
        name: `store ${store}`,
        store_id: store,
        webhook: `${sim.env.DINGTALK_OAPI_URL}/robot/send?access_token=${robot.token}`,
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
    apps = Array.from({ length: STREAM_BOTS }, () => sim.state.registerApp());
    for (const [index, app] of apps.entries()) {
      const created = await api(first, 'POST', '/api/v1/dingtalk-bots', {
        name: `stream ${index}`,
        store_id: STREAM_STORE,
        bot_type: 'stream',
        client_id: app.clientId,
        client_secret: app.clientSecret,
        agent_id: app.agentId,
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
    await eventually(() => streamBotsHeldOnce(), 'every stream bot connected once', 90_000);
  });

  afterAll(async () => {
    await cluster?.stopAll();
    await database?.drop();
    await sim?.close();
    if (results.length === 0) return;
    const table = printTable(results);
    const file = saveRun({
      at: new Date(started).toISOString(),
      command: 'npm run test:reliability',
      duration_s: Math.round((Date.now() - started) / 1000),
      machine: { ...machine(), load_average_at_start: loadAtStart },
      instances: 3,
      webhook_bots: WEBHOOK_BOTS,
      stream_bots: STREAM_BOTS,
      results,
    });
    process.stdout.write(`\n${table}\n\nwritten to ${file}\n`);
  });

  async function api(instance: Instance, method: string, path: string, body?: unknown) {
    const response = await fetch(`${instance.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of several shapes, read field by field
    return { status: response.status, body: (await response.json()) as any };
  }

  /** Any live instance, for reading the shared state. */
  const anyLive = () => cluster.live()[0];

  /** Counts markers (`R<scenario>N<n>`) in the robot messages that arrived since the last scan. */
  function scan(): void {
    const messages = sim.state.messages;
    for (; scanned < messages.length; scanned++) {
      const message = messages[scanned];
      if (message.channel !== 'robot' || message.errcode !== 0) continue;
      const markers = new Set(`${message.title ?? ''}\n${message.text ?? ''}`.match(/R\d+N\d+/g) ?? []);
      const arrival = { at: message.arrivedAt, digest: (message.title ?? '').startsWith('报菜汇总') };
      for (const marker of markers) seen.set(marker, [...(seen.get(marker) ?? []), arrival]);
    }
  }

  /** Each stream bot has exactly one socket at the simulator, and a live instance says it holds it, connected. */
  async function streamBotsHeldOnce(): Promise<boolean> {
    if (!apps.every((app) => sim.stream.connections(app.clientId).length === 1)) return false;
    const live = new Set(cluster.live().map((instance) => instance.id));
    const status = await api(anyLive(), 'GET', '/api/v1/stream/status').catch(() => null);
    const bots = (status?.body.data?.bots ?? []) as Array<{
      instance_id: string | null;
      connection_status: string;
    }>;
    return (
      bots.length === STREAM_BOTS &&
      bots.every((bot) => bot.connection_status === 'connected' && live.has(bot.instance_id ?? ''))
    );
  }

  /** The instance holding the most stream bots, by the cluster-wide view. */
  async function busiestStreamHolder(): Promise<Instance> {
    const status = await api(anyLive(), 'GET', '/api/v1/stream/status');
    const counts = new Map<string, number>();
    for (const bot of status.body.data.bots as Array<{ instance_id: string | null }>) {
      if (bot.instance_id) counts.set(bot.instance_id, (counts.get(bot.instance_id) ?? 0) + 1);
    }
    const live = cluster.live();
    return live.reduce((best, instance) =>
      (counts.get(instance.id) ?? 0) > (counts.get(best.id) ?? 0) ? instance : best,
    );
  }

  /** Notifications an instance has claimed (leased) right now: what its death strands. */
  async function claimedBy(instance: Instance): Promise<number> {
    const client = new Client({ connectionString: database.connection.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ count: string }>(
        `SELECT count(*) FROM notifications WHERE lease_owner LIKE $1 AND status IN ('pending', 'retrying')`,
        [`${instance.id}:%`],
      );
      return Number(rows[0].count);
    } finally {
      await client.end();
    }
  }

  interface Burst {
    posted: number;
    accepted: string[];
    lastAcceptedAt: number;
  }

  /**
   * Posts `count` reports at `perSecond`, up to 16 at a time, round-robin over the live instances. `at[n]` starts
   * when report n is due; the posting goes on meanwhile (the burst ends once every post and every `at` is done).
   * A post to an instance that dies is not retried: it counts as posted and not accepted.
   */
  async function burst(
    scenario: number,
    count: number,
    perSecond: number,
    at: Record<number, () => Promise<void>> = {},
  ) {
    const result: Burst = { posted: 0, accepted: [], lastAcceptedAt: Date.now() };
    const begin = Date.now();
    const side: Array<Promise<void>> = [];
    let next = 0;
    const worker = async () => {
      for (let n = next++; n < count; n = next++) {
        const due = begin + (n * 1000) / perSecond;
        if (due > Date.now()) await sleep(due - Date.now());
        if (at[n]) side.push(at[n]());
        const live = cluster.live();
        const instance = live[roundRobin++ % live.length];
        const marker = `R${scenario}N${n}`;
        result.posted += 1;
        postedNow = result.posted;
        const response = await api(instance, 'POST', '/api/v1/menu-reports', {
          store_id: 1 + (n % WEBHOOK_BOTS),
          dish_name: marker,
          quantity: 1,
          unit: '份',
        }).catch(() => null);
        if (response?.status === 201) {
          result.accepted.push(marker);
          result.lastAcceptedAt = Date.now();
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    await Promise.all(side);
    return result;
  }

  /**
   * Waits until every accepted report reached its robot (or the limit passed) and the queue is empty, so that
   * a late second send would be counted too; then records the row.
   */
  async function settle(
    scenario: string,
    sent: Burst,
    extra: Pick<ScenarioResult, 'recover_s' | 'notes'>,
  ): Promise<ScenarioResult> {
    const delivered = () => {
      scan();
      return sent.accepted.every((marker) => seen.has(marker));
    };
    await eventually(delivered, 'every accepted report at its robot', DRAIN_LIMIT_MS).catch(() => undefined);
    const drainedAt = Date.now();
    await eventually(
      async () => {
        const [pending, retrying] = await Promise.all(
          ['pending', 'retrying'].map((status) =>
            api(anyLive(), 'GET', `/api/v1/notifications?status=${status}&page_size=1`).catch(() => null),
          ),
        );
        return pending?.body.data?.total === 0 && retrying?.body.data?.total === 0;
      },
      'an empty queue',
      120_000,
    ).catch(() => undefined);
    scan();
    const counts = sent.accepted.map((marker) => seen.get(marker)?.length ?? 0);
    // What the second sends looked like: in a digest or not, and how long after the first.
    const twice = sent.accepted
      .map((marker) => seen.get(marker) ?? [])
      .filter((arrivals) => arrivals.length > 1);
    const gaps = twice.map((arrivals) => (arrivals[1].at - arrivals[0].at) / 1000).sort((a, b) => a - b);
    const duplicates =
      twice.length === 0
        ? ''
        : `duplicates: ${twice.filter((arrivals) => arrivals.some((arrival) => arrival.digest)).length} involve a digest, ` +
          `second copy ${gaps[0].toFixed(1)}–${gaps[gaps.length - 1].toFixed(1)} s after the first`;
    const row: ScenarioResult = {
      scenario,
      posted: sent.posted,
      accepted: sent.accepted.length,
      delivered: counts.filter((count) => count > 0).length,
      lost: counts.filter((count) => count === 0).length,
      duplicated: counts.filter((count) => count > 1).length,
      recover_s: extra.recover_s,
      drain_s: Math.round((drainedAt - sent.lastAcceptedAt) / 100) / 10,
      notes: [extra.notes, duplicates].filter(Boolean).join('; '),
    };
    results.push(row);
    return row;
  }

  /** SIGKILLs the instance, then measures how long until every stream bot is connected again by a live one. */
  async function killAndTimeTakeover(
    victim: Instance,
  ): Promise<{ ms: number; claimed: number; atPosted: number }> {
    const claimed = await claimedBy(victim);
    const atPosted = postedNow;
    const killedAt = Date.now();
    await cluster.kill(victim);
    await eventually(() => streamBotsHeldOnce(), `stream bots of ${victim.id} taken over`, 120_000);
    return { ms: Date.now() - killedAt, claimed, atPosted };
  }

  it('delivers reports posted across all three instances once each, with one socket per stream bot', async () => {
    const sent = await burst(1, 300, 30);
    const row = await settle('spread over 3 instances', sent, { recover_s: null, notes: '' });
    expect(row).toMatchObject({ accepted: 300, lost: 0, duplicated: 0 });
    expect(await streamBotsHeldOnce()).toBe(true);
    for (const app of apps) expect(sim.stream.peakConnections(app.clientId)).toBe(1);
  });

  it('takes over a SIGKILLed instance: its stream bots within 45 s, its claimed notifications delivered', async () => {
    let takeover = { ms: 0, claimed: 0, atPosted: 0 };
    const sent = await burst(2, 300, 12, {
      100: async () => {
        takeover = await killAndTimeTakeover(await busiestStreamHolder());
        await cluster.start();
      },
    });
    const row = await settle('SIGKILL one instance', sent, {
      recover_s: Math.round(takeover.ms / 100) / 10,
      notes: `kill after ${takeover.atPosted} reports posted; ${takeover.claimed} notifications claimed by the killed instance`,
    });
    expect(takeover.ms).toBeLessThanOrEqual(TAKEOVER_LIMIT_MS);
    expect(row.lost).toBe(0);
    for (const app of apps) expect(sim.stream.peakConnections(app.clientId)).toBe(1);
  });

  it('loses nothing through three SIGKILL rounds during a 2,000-report burst', async () => {
    const takeovers: number[] = [];
    const killedAt: number[] = [];
    let claimed = 0;
    // One round at a time: a round lasts until the takeover is complete and a replacement answers, so that a
    // kill always leaves two instances running (never the last one).
    let rounds = Promise.resolve();
    const round = () =>
      (rounds = rounds.then(async () => {
        const result = await killAndTimeTakeover(await busiestStreamHolder());
        takeovers.push(result.ms);
        killedAt.push(result.atPosted);
        claimed += result.claimed;
        await cluster.start();
      }));
    const sent = await burst(3, 2_000, 12, { 400: round, 900: round, 1_400: round });
    const row = await settle('3 SIGKILLs in a 2,000 burst', sent, {
      recover_s: Math.round(Math.max(...takeovers) / 100) / 10,
      notes:
        `kills after ${killedAt.join(' / ')} reports posted; takeovers ` +
        `${takeovers.map((ms) => (ms / 1000).toFixed(1)).join(' / ')} s; ${claimed} notifications claimed by the killed instances`,
    });
    for (const ms of takeovers) expect(ms).toBeLessThanOrEqual(TAKEOVER_LIMIT_MS);
    expect(row.lost).toBe(0);
    for (const app of apps) expect(sim.stream.peakConnections(app.clientId)).toBe(1);
  });

  it('delivers everything through 30 % DingTalk faults: HTTP 500, timeouts, throttles, dropped sockets, garbage', async () => {
    // Standing faults are drawn in turn, so 0.1, 0.1/0.9 and 0.1/0.8 make 10 % of the sends fail each way.
    const faults = [
      { mode: 'http_500', probability: 0.1 },
      { mode: 'timeout', probability: 0.1 / 0.9 },
      { mode: 'errcode', errcode: 410100, errmsg: 'send too fast', probability: 0.1 / 0.8 },
    ];
    for (const fault of faults) {
      const response = await fetch(`${sim.url}/_sim/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ path: '/robot/send', ...fault }),
      });
      expect(response.status).toBe(201);
    }
    // Every 2 s, 30 % of the Stream connections are dropped or sent a frame that is not JSON.
    let chaos = true;
    let streamFaults = 0;
    const streamChaos = (async () => {
      for (let tick = 0; chaos; tick++) {
        for (const connection of sim.stream.connections()) {
          if (Math.random() >= 0.3) continue;
          streamFaults += 1;
          if (tick % 2 === 0) sim.stream.drop(connection.id);
          else sim.stream.sendGarbage(connection.id, '<html>502 Bad Gateway</html>');
        }
        await sleep(2_000);
      }
    })();
    const before = sim.state.messages.length;
    let row: ScenarioResult;
    try {
      const sent = await burst(4, 500, 10);
      row = await settle('30 % DingTalk faults', sent, { recover_s: null, notes: '' });
    } finally {
      chaos = false;
      await streamChaos;
      await fetch(`${sim.url}/_sim/faults`, { method: 'DELETE' });
    }
    const sends = sim.state.messages.slice(before).filter((message) => message.channel === 'robot').length;
    row.notes = [row.notes, `${sends} sends passed the injected faults; ${streamFaults} Stream faults`]
      .filter(Boolean)
      .join('; ');
    const recoveredAt = Date.now();
    await eventually(() => streamBotsHeldOnce(), 'every stream bot connected once after the faults', 60_000);
    row.recover_s = Math.round((Date.now() - recoveredAt) / 100) / 10;
    expect(row).toMatchObject({ lost: 0, duplicated: 0 });
    for (const app of apps) expect(sim.stream.peakConnections(app.clientId)).toBe(1);
  });
});
