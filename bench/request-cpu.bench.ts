import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { ROOT_DIR } from '../test/support/paths';
import { percentile } from './delivery/load';
import { buildService, removeLeftovers, startService, SystemUnderTest } from './delivery/systems';
import { sampleTree } from './support/processes';

/**
 * request-cpu: the service's own CPU per POST /api/v1/menu-reports, for one or more builds side by side: the A/B of
 * a change to the request path on a machine others share. Each build runs as its own process on a fresh database,
 * with stores that have no bot (each report is its two statements and nothing is sent: the request path alone).
 * After a warm-up, rounds of `reports` POSTs by `clients` clients go to each build in turn, in a new random order
 * each round, and a build's CPU (user + system, /proc) over its burst is divided by the burst's requests. The
 * interleaving is the point: the load on the machine moves from minute to minute, and CPU time per request grows
 * with it (caches, context switches), so a build measured after another would meet another machine; the ratio of each
 * build to the first in the same round cancels most of that.
 *
 * Reproduce: `npm run bench -- request-cpu --service .tmp/builds/a/service.js,.tmp/builds/b/service.js
 * [--rounds 20] [--reports 1000] [--clients 50] [--warmup 3000]` (bundles built beforehand with `npm run build`,
 * under this checkout so that they find node_modules); without --service the checkout is built and measured alone.
 * PG_URL as for the delivery benchmark. Writes bench/results/<date>-request-cpu-<time>.json.
 */
const ROUNDS = Math.max(1, Math.floor(Number(process.env.ROUNDS ?? 20)));
const REPORTS = Math.max(1, Math.floor(Number(process.env.REPORTS ?? 1000)));
const CLIENTS = Math.max(1, Math.floor(Number(process.env.CLIENTS ?? 50)));
const WARMUP = Math.max(0, Math.floor(Number(process.env.WARMUP ?? 3000)));
const STORES = 200;
const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TMP = join(ROOT_DIR, '.tmp', 'bench');

interface Build {
  name: string;
  main: string;
  service?: SystemUnderTest;
  pool?: Pool;
  posted: number;
  /** CPU ms per request, one per round. */
  rounds: number[];
  /** Requests a second, one per round (wall time: the load decides it as much as the build). */
  rates: number[];
}

const builds: Build[] = [];
const loads: number[] = [];
const load = { before: [] as number[], after: [] as number[] };

async function burst(build: Build, count: number): Promise<void> {
  let next = 0;
  const client = async () => {
    while (next < count) {
      next++;
      const storeId = (build.posted++ % STORES) + 1;
      const response = await build.pool!.request({
        method: 'POST',
        path: '/api/v1/menu-reports',
        headers: { authorization: `Bearer ${build.service!.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          store_id: storeId,
          dish_name: '宫保鸡丁',
          quantity: 2.5,
          unit: '份',
          remark: '少辣',
        }),
        headersTimeout: 60_000,
        bodyTimeout: 60_000,
      });
      const text = await response.body.text();
      if (response.statusCode !== 201)
        throw new Error(`${build.name}: ${response.statusCode} ${text.slice(0, 300)}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CLIENTS, count) }, client));
}

/** Fisher-Yates: every order equally likely. */
function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

const cpuSeconds = (build: Build) => sampleTree(build.service!.child.pid)?.cpuSeconds ?? NaN;

describe('request-cpu: CPU per report request, builds interleaved', () => {
  beforeAll(async () => {
    await removeLeftovers(PG_URL, TMP);
    const given = (process.env.SERVICE ?? '').split(',').filter((file) => file !== '');
    const mains =
      given.length > 0 ? given.map((file) => resolve(ROOT_DIR, file)) : [await buildService(ROOT_DIR)];
    for (const main of mains) {
      const build: Build = { name: relative(ROOT_DIR, main), main, posted: 0, rounds: [], rates: [] };
      builds.push(build);
      // No bot is created, so nothing is sent: the robot's address is never called.
      build.service = await startService(main, ROOT_DIR, 'postgres', PG_URL, TMP, 'http://127.0.0.1:9');
      build.pool = new Pool(build.service.url, { connections: CLIENTS });
      await burst(build, WARMUP);
    }
    load.before = loadavg();
  }, 900_000);

  afterAll(async () => {
    for (const build of builds) {
      await build.pool?.close();
      await build.service?.close();
    }
    if (builds.every((build) => build.rounds.length === 0)) return;
    load.after = loadavg();
    const first = builds[0];
    const fixed = (value: number, digits = 3) => value.toFixed(digits);
    const lines = [
      '',
      `request-cpu: POST /api/v1/menu-reports to stores without bots, ${ROUNDS} rounds of ${REPORTS} by ${CLIENTS} clients per build, interleaved`,
      'CPU ms per request: median of the rounds (min-max), and the median of the per-round ratios to the first build',
      ...builds.map((build) => {
        const ratios = build.rounds.map((value, i) => value / first.rounds[i]);
        return `${build.name}: ${fixed(percentile(build.rounds, 0.5))} (${fixed(Math.min(...build.rounds))}-${fixed(Math.max(...build.rounds))}) ms, ${fixed(percentile(ratios, 0.5))}x; ${Math.round(percentile(build.rates, 0.5))} requests/s`;
      }),
      `load average before ${load.before.map((v) => fixed(v, 2)).join(' ')}, after ${load.after.map((v) => fixed(v, 2)).join(' ')}; 1-minute load at each round ${loads.map((v) => fixed(v, 1)).join(' ')} (${cpus().length} CPUs)`,
      '',
    ];
    const table = lines.join('\n');
    const directory = join(ROOT_DIR, 'bench', 'results');
    mkdirSync(directory, { recursive: true });
    const stamp = new Date().toISOString();
    const file = join(
      directory,
      `${stamp.slice(0, 10)}-request-cpu-${stamp.slice(11, 19).replaceAll(':', '')}.json`,
    );
    const document = {
      benchmark: 'request-cpu',
      invoked_as: process.env.BENCH_COMMAND ?? null,
      node: process.version,
      params: { rounds: ROUNDS, reports: REPORTS, clients: CLIENTS, warmup: WARMUP, stores: STORES },
      load_average: { ...load, per_round: loads },
      builds: builds.map(({ name, rounds, rates }) => ({
        name,
        cpu_ms_per_request: rounds,
        requests_per_s: rates,
      })),
      table: table.split('\n'),
    };
    writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
    process.stdout.write(`${table}results: ${file}\n\n`);
  });

  for (let i = 1; i <= ROUNDS; i++) {
    it(`round ${i}`, async () => {
      loads.push(loadavg()[0]);
      const order = shuffled(builds);
      for (const build of order) {
        const before = cpuSeconds(build);
        const started = performance.now();
        await burst(build, REPORTS);
        const seconds = (performance.now() - started) / 1000;
        build.rounds.push(((cpuSeconds(build) - before) * 1000) / REPORTS);
        build.rates.push(REPORTS / seconds);
      }
    }, 600_000);
  }
});
