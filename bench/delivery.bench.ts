import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { ROOT_DIR } from '../test/support/paths';
import { Child, compileScripts, startListeningScript, startSampler } from './support/processes';
import { analyse, closedLoop, drain, now, openLoop } from './delivery/load';
import { readParams } from './delivery/params';
import {
  compareWithBaseline,
  memoryOf,
  renderTable,
  RobotSummary,
  SystemResult,
  writeResults,
} from './delivery/report';
import {
  BenchBot,
  buildService,
  databaseActivity,
  removeLeftovers,
  startRelay,
  startService,
  SystemUnderTest,
} from './delivery/systems';

/**
 * delivery: the service against a bare relay (bench/bare-relay: node:http + pg, the same durable work), both
 * driven by the same load against a fake DingTalk robot endpoint (bench/fake-robot) that checks every signature
 * and counts, per bot, every sliding minute. Each system, in turn and alone on the machine: N stores with one
 * signed webhook bot each, a warm-up (the open loop's rate for `warmup` seconds, not timed), an open loop (fixed
 * rate: POST and report→robot latency), a drain, a closed loop
 * (`clients` clients as fast as they can: accepted/s and delivery rate), a drain; memory (PSS) and CPU of the
 * system's whole process tree sampled every 500 ms (bench/delivery/report.ts says what is counted).
 * Prints a table with the ratios service / relay and writes bench/results/<date>-delivery-<db>-<bots>.json.
 *
 * Reproduce: `npm run bench -- delivery [--db postgres|embedded|both] [--bots 1000] [--rate 200] [--duration 20]
 * [--warmup 5] [--reports 10000] [--clients 50] [--drain 120] [--service FILE]` (or the same as env vars: DB, BOTS,
 * RATE, …; PG_URL names the PostgreSQL server, default postgres://postgres@127.0.0.1:5432/postgres). Needs that server
 * on this machine.
 */
const params = readParams(process.env);
const TMP = join(ROOT_DIR, '.tmp', 'bench');
const SCRIPTS = join(TMP, 'js');
/** The closed loop stops posting after this long, whatever is left (a very slow system must not hang the run). */
const CLOSED_MAX_MS = 300_000;
const SYSTEM_TIMEOUT_MS =
  (180 + 300 + params.duration + params.drain * 2 + CLOSED_MAX_MS / 1000 + 30 + 60) * 1000;

const systems: ('relay' | 'postgres' | 'embedded')[] = [
  'relay',
  ...(params.db === 'both' ? (['postgres', 'embedded'] as const) : [params.db]),
];
const results: SystemResult[] = [];
/** The load average just before the first system starts (after the build) and after the last one stopped. */
const load = { before: [] as number[], after: [] as number[] };
const startedAt = new Date();
let robot: { child: Child; url: string } | undefined;
let serviceMain = '';
/** The flags for Node the service was started with (the results file records them). */
let serviceNodeFlags: string[] | null = null;

async function robotCall<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${robot!.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok) throw new Error(`fake robot ${path}: ${response.status}`);
  return (await response.json()) as T;
}

function newBots(): BenchBot[] {
  return Array.from({ length: params.bots }, (_, i) => ({
    storeId: i + 1,
    token: `bench${i + 1}x${randomBytes(12).toString('hex')}`,
    secret: `SEC${randomBytes(32).toString('hex')}`,
    msgType: i % 2 === 0 ? 'markdown' : 'text',
  }));
}

async function measure(kind: (typeof systems)[number]): Promise<SystemResult> {
  const name = kind === 'relay' ? 'relay' : `service-${kind}`;
  const result: SystemResult = { name, startS: 0, botsS: 0 };
  let system: SystemUnderTest | undefined;
  let sampler: ReturnType<typeof startSampler> | undefined;
  try {
    if (kind === 'relay') {
      system = await startRelay(join(SCRIPTS, 'bench', 'bare-relay', 'relay.js'), ROOT_DIR, params.pgUrl);
    } else {
      const service = await startService(serviceMain, ROOT_DIR, kind, params.pgUrl, TMP, robot!.url);
      system = service;
      // The first start created the database (initdb for the embedded one) and migrated it; the second is warm.
      result.warmStartS = await service.restart();
      serviceNodeFlags = service.nodeFlags;
    }
    result.startS = system.startS;
    sampler = startSampler(system.child.pid);

    const bots = newBots();
    await robotCall('/_bench/reset', {});
    await robotCall(
      '/_bench/robots',
      bots.map((bot) => ({ token: bot.token, secret: bot.secret, limit: params.limit })),
    );
    const t1 = now();
    await system.createBots(bots, `${robot!.url}/robot/send`, params.limit);
    result.botsS = (now() - t1) / 1000;

    const target = { url: system.url, token: system.token };
    const activity = () =>
      system?.databaseName ? databaseActivity(params.pgUrl, system.databaseName) : null;
    const activityStart = await activity();
    const loadStart = Date.now();
    const cpuStart = sampler.samples.at(-1)?.cpuSeconds ?? 0;
    if (params.warmup > 0) {
      const warmup = await openLoop(target, params.bots, params.rate, params.warmup, 'w');
      const warmupDrain = await drain(robot!.url, warmup, params.drain * 1000);
      result.warmup = await analyse(robot!.url, warmup, bots, warmupDrain.complete);
    }
    const openStart = Date.now();
    const open = await openLoop(target, params.bots, params.rate, params.duration);
    const openEnd = Date.now();
    const openDrain = await drain(robot!.url, open, params.drain * 1000);
    result.open = await analyse(robot!.url, open, bots, openDrain.complete);

    const closed = await closedLoop(target, params.bots, params.reports, params.clients, CLOSED_MAX_MS);
    const closedDrain = await drain(robot!.url, closed, params.drain * 1000);
    result.closed = await analyse(robot!.url, closed, bots, closedDrain.complete);
    const loadEnd = Date.now();
    const activityEnd = await activity();
    if (activityStart && activityEnd) {
      const reports = (result.warmup?.accepted ?? 0) + result.open.accepted + result.closed.accepted;
      result.database = {
        transactionsPerReport: (activityEnd.transactions - activityStart.transactions) / reports,
        rowsReadPerReport: (activityEnd.rowsRead - activityStart.rowsRead) / reports,
      };
    }

    // The second phase's late arrivals may still come in: the robot's counts are read once both drained.
    result.robot = await robotCall<RobotSummary>('/_bench/summary');
    sampler.stop();
    result.memory = memoryOf(
      sampler.samples,
      { start: loadStart, end: loadEnd },
      { start: openStart, end: openEnd },
    );
    result.cpuS = (sampler.samples.at(-1)?.cpuSeconds ?? cpuStart) - cpuStart;
  } catch (error) {
    result.error = (error as Error).message.split('\n').slice(0, 20).join('\n');
    if (system)
      result.error += `\n--- ${name} output (last 2000 characters) ---\n${system.child.output().slice(-2000)}`;
  } finally {
    sampler?.stop();
    await system?.close();
  }
  return result;
}

describe(`delivery: ${params.bots} bots, ${systems.join(' / ')}`, () => {
  beforeAll(async () => {
    const removed = await removeLeftovers(params.pgUrl, TMP);
    if (removed.length > 0)
      process.stdout.write(`removed leftovers of earlier runs: ${removed.join(', ')}\n`);
    compileScripts(
      ROOT_DIR,
      ['bench/bare-relay/relay.ts', 'bench/fake-robot/fake-robot.ts', 'simulator/robots/robot-signature.ts'],
      SCRIPTS,
    );
    // --service FILE: a bundle built earlier (under this checkout, so that it finds node_modules), for an A/B of two
    // builds run back to back; otherwise this checkout is built.
    if (systems.some((kind) => kind !== 'relay'))
      serviceMain = process.env.SERVICE
        ? resolve(ROOT_DIR, process.env.SERVICE)
        : await buildService(ROOT_DIR);
    robot = await startListeningScript(
      'fake-robot',
      join(SCRIPTS, 'bench', 'fake-robot', 'fake-robot.js'),
      {},
      ROOT_DIR,
    );
    load.before = loadavg();
  }, 900_000);

  afterAll(async () => {
    await robot?.child.stop();
    if (results.length === 0) return;
    load.after = loadavg();
    const table = renderTable(params, results, load, compareWithBaseline(ROOT_DIR, params, results));
    const file = writeResults(ROOT_DIR, params, serviceNodeFlags, results, load, startedAt, table);
    process.stdout.write(`${table}results: ${file}\n\n`);
  });

  for (const kind of systems) {
    it(
      kind === 'relay' ? 'bare relay' : `service, ${kind} database`,
      async () => {
        const result = await measure(kind);
        results.push(result);
        if (result.error) throw new Error(`${result.name}: ${result.error}`);
      },
      SYSTEM_TIMEOUT_MS,
    );
  }
});
