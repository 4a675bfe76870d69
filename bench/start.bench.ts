import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { ROOT_DIR } from '../test/support/paths';
import { percentile } from './delivery/load';
import { buildService, removeLeftovers, startService } from './delivery/systems';
import { sampleTree } from './support/processes';

/**
 * start: the built service (`npm run build`, then the start:prod command) on the embedded database, from spawn until
 * GET /health answers 200, `rounds` times: on a fresh DATA_DIR (initdb and every migration included) and again on
 * the same DATA_DIR (warm). With each, the CPU seconds the service and its PostgreSQL processes had used by then:
 * on a shared machine the wall time grows with the load, the CPU time much less.
 *
 * Reproduce: `npm run bench -- start [--rounds 5] [--db embedded|postgres]` (--db postgres: a fresh database on
 * PG_URL's server, whose CPU is not counted). Writes bench/results/<date>-start-<db>.json.
 */
const ROUNDS = Math.max(1, Math.floor(Number(process.env.ROUNDS ?? 5)));
const DB = (process.env.DB ?? 'embedded') as 'embedded' | 'postgres';
const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TMP = join(ROOT_DIR, '.tmp', 'bench');

interface Round {
  freshS: number;
  freshCpuS: number;
  warmS: number;
  warmCpuS: number;
}

const rounds: Round[] = [];
let main = '';
const load = { before: [] as number[], after: [] as number[] };

describe(`start: the service on the ${DB} database, fresh and warm`, () => {
  beforeAll(async () => {
    if (DB !== 'embedded' && DB !== 'postgres')
      throw new Error(`DB must be embedded or postgres (got ${String(DB)})`);
    await removeLeftovers(PG_URL, TMP);
    main = await buildService(ROOT_DIR);
    load.before = loadavg();
  }, 900_000);

  afterAll(() => {
    if (rounds.length === 0) return;
    load.after = loadavg();
    const stat = (pick: (round: Round) => number) => {
      const values = rounds.map(pick);
      return `${Math.min(...values).toFixed(2)} / ${percentile(values, 0.5).toFixed(2)} / ${Math.max(...values).toFixed(2)}`;
    };
    const table = [
      '',
      `start: the service on the ${DB} database until /health answers 200, ${rounds.length} rounds (min / median / max)`,
      `fresh DATA_DIR s       ${stat((round) => round.freshS)}`,
      `  CPU s by then        ${stat((round) => round.freshCpuS)}`,
      `warm (same DATA_DIR) s ${stat((round) => round.warmS)}`,
      `  CPU s by then        ${stat((round) => round.warmCpuS)}`,
      `load average before ${load.before.map((v) => v.toFixed(2)).join(' ')}, after ${load.after.map((v) => v.toFixed(2)).join(' ')} (${cpus().length} CPUs)`,
      '',
    ].join('\n');
    const directory = join(ROOT_DIR, 'bench', 'results');
    mkdirSync(directory, { recursive: true });
    const stamp = new Date().toISOString();
    const file = join(
      directory,
      `${stamp.slice(0, 10)}-start-${DB}-${stamp.slice(11, 19).replaceAll(':', '')}.json`,
    );
    const document = {
      benchmark: 'start',
      invoked_as: process.env.BENCH_COMMAND ?? null,
      db: DB,
      node: process.version,
      load_average: load,
      rounds,
      table: table.split('\n'),
    };
    writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
    process.stdout.write(`${table}results: ${file}\n\n`);
  });

  for (let i = 1; i <= ROUNDS; i++) {
    it(`round ${i}`, async () => {
      // The fake robot is not needed: no bot is created, nothing is sent.
      const service = await startService(main, ROOT_DIR, DB, PG_URL, TMP, 'http://127.0.0.1:9');
      try {
        const freshCpuS = sampleTree(service.child.pid)?.cpuSeconds ?? NaN;
        const warmS = await service.restart();
        const warmCpuS = sampleTree(service.child.pid)?.cpuSeconds ?? NaN;
        rounds.push({ freshS: service.startS, freshCpuS, warmS, warmCpuS });
      } finally {
        await service.close();
      }
    }, 600_000);
  }
});
