import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { ROOT_DIR } from '../support/paths';

/** One row of the table: what was posted, what the API accepted (201), and what DingTalk (the simulator) got. */
export interface ScenarioResult {
  scenario: string;
  posted: number;
  accepted: number;
  /** Accepted reports that reached their robot at least once. */
  delivered: number;
  /** Accepted reports that never reached their robot. */
  lost: number;
  /** Accepted reports that reached their robot more than once. */
  duplicated: number;
  /** Kills: longest time from a SIGKILL until every stream bot was connected again by a live instance. */
  recover_s: number | null;
  /** From the last accepted report until the last one reached its robot. */
  drain_s: number;
  notes: string;
}

export function machine() {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memory_gb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    load_average: loadavg().map((load) => Math.round(load * 100) / 100),
    commit: execSync('git rev-parse --short HEAD', { cwd: ROOT_DIR }).toString().trim(),
  };
}

export function printTable(rows: ScenarioResult[]): string {
  const columns: Array<keyof ScenarioResult> = [
    'scenario',
    'posted',
    'accepted',
    'delivered',
    'lost',
    'duplicated',
    'recover_s',
    'drain_s',
  ];
  const cell = (value: string | number | null) => (value === null ? '–' : String(value));
  const widths = columns.map((column) =>
    Math.max(column.length, ...rows.map((row) => cell(row[column]).length)),
  );
  const line = (values: string[]) => `| ${values.map((value, i) => value.padEnd(widths[i])).join(' | ')} |`;
  return [
    line(columns),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map((row) => line(columns.map((column) => cell(row[column])))),
  ].join('\n');
}

/** Appends this run to bench/results/reliability-<date>.json (one file per day, every run of the day in it). */
export function saveRun(run: Record<string, unknown>): string {
  const dir = join(ROOT_DIR, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `reliability-${new Date().toISOString().slice(0, 10)}.json`);
  const previous = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as { runs: unknown[] })
    : { runs: [] };
  writeFileSync(file, `${JSON.stringify({ runs: [...previous.runs, run] }, null, 2)}\n`);
  return file;
}
