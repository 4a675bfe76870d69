import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { ProcessSample } from '../support/processes';
import { PhaseResult, percentile } from './load';
import { commandLine, DeliveryParams } from './params';
import { BENCH_CALL_BUDGET_PER_SECOND } from './systems';

/** What the fake robot counted for one system (see bench/fake-robot/fake-robot.ts). */
export interface RobotSummary {
  messages: number;
  badSignatures: number;
  invalidTimestamps: number;
  unknownTokens: number;
  badBodies: number;
  duplicates: number;
  maxPerMinute: number;
  overLimitSends: number;
  robotsOverLimit: number;
}

export interface SystemResult {
  name: string;
  /** Seconds from spawn to serving: the service on a fresh database (the embedded one: initdb included). */
  startS: number;
  /** The service again on the same database or DATA_DIR, until /health answers. */
  warmStartS?: number;
  botsS: number;
  warmup?: PhaseResult;
  open?: PhaseResult;
  closed?: PhaseResult;
  robot?: RobotSummary;
  memory?: MemoryResult;
  /**
   * PostgreSQL only, from pg_stat_database over both phases (its counters lag by up to a few seconds): committed
   * transactions and rows read per accepted report.
   */
  database?: { transactionsPerReport: number; rowsReadPerReport: number };
  /** CPU seconds the process used during the load phases, the warm-up and the drains included. */
  cpuS?: number;
  error?: string;
}

const MIB = 1024 * 1024;

/**
 * Memory as PSS summed over the system's process tree (bench/support/processes.ts): the relay; the service; the
 * service and its PostgreSQL processes for the embedded database. The shared PostgreSQL server that the relay and
 * the service on --db postgres both use is counted for neither. Peak over all samples; steady = the median of the
 * second half of the load phases; atRate = the median during the open loop (its fixed rate).
 */
export interface MemoryResult {
  peakMiB: number;
  steadyMiB: number;
  atRateMiB: number;
  /** Of the steady figure, the part of the root process's children (the embedded PostgreSQL's processes). */
  steadyChildrenMiB: number;
  /** Most processes in the tree at once. */
  processes: number;
}

export function memoryOf(
  samples: ProcessSample[],
  load: { start: number; end: number },
  open: { start: number; end: number },
): MemoryResult {
  const within = (window: { start: number; end: number }) =>
    samples.filter((sample) => sample.at >= window.start && sample.at <= window.end);
  const secondHalf = within({ start: (load.start + load.end) / 2, end: load.end });
  const median = (list: ProcessSample[], value: (sample: ProcessSample) => number) =>
    percentile(list.map(value), 0.5) / MIB;
  return {
    peakMiB: Math.max(0, ...samples.map((sample) => sample.pssBytes)) / MIB,
    steadyMiB: median(secondHalf, (sample) => sample.pssBytes),
    atRateMiB: median(within(open), (sample) => sample.pssBytes),
    steadyChildrenMiB: median(secondHalf, (sample) => sample.pssBytes - sample.rootPssBytes),
    processes: Math.max(0, ...samples.map((sample) => sample.processes)),
  };
}

const num = (value: number | undefined) =>
  value === undefined || Number.isNaN(value) ? '–' : value >= 100 ? value.toFixed(0) : value.toFixed(1);
const pair = (value: { p50: number; p99: number } | undefined) =>
  value ? `${num(value.p50)} / ${num(value.p99)}` : '–';
const ratio = (service: number | undefined, relay: number | undefined) =>
  service === undefined || relay === undefined || !(relay > 0) || Number.isNaN(service)
    ? '–'
    : `${(service / relay).toFixed(2)}x`;

interface Row {
  label: string;
  cell(result: SystemResult): string;
  /** The figures a ratio service / relay is taken of (one or two). */
  values?(result: SystemResult): (number | undefined)[];
}

const badSignatures = (result: SystemResult) =>
  result.robot ? result.robot.badSignatures + result.robot.invalidTimestamps : undefined;
const sum = (a?: number, b?: number) => (a === undefined || b === undefined ? undefined : a + b);

const ROWS: Row[] = [
  {
    label: 'POST p50 / p99 ms (open loop)',
    cell: (r) => pair(r.open?.postMs),
    values: (r) => [r.open?.postMs.p50, r.open?.postMs.p99],
  },
  {
    label: 'report→robot p50 / p99 ms (open loop)',
    cell: (r) => pair(r.open?.deliveryMs),
    values: (r) => [r.open?.deliveryMs.p50, r.open?.deliveryMs.p99],
  },
  {
    label: 'accepted /s (closed loop)',
    cell: (r) => num(r.closed?.acceptedPerS),
    values: (r) => [r.closed?.acceptedPerS],
  },
  {
    label: 'delivery rate /s (closed loop)',
    cell: (r) => num(r.closed?.deliveredPerS),
    values: (r) => [r.closed?.deliveredPerS],
  },
  {
    label: 'POST errors (warm-up / open / closed)',
    cell: (r) => `${r.warmup?.errors ?? '–'} / ${r.open?.errors ?? '–'} / ${r.closed?.errors ?? '–'}`,
  },
  {
    label: 'lost (warm-up / open / closed)',
    cell: (r) => `${r.warmup?.lost ?? '–'} / ${r.open?.lost ?? '–'} / ${r.closed?.lost ?? '–'}`,
  },
  { label: 'duplicates', cell: (r) => `${r.robot?.duplicates ?? '–'}` },
  {
    label: 'misrouted / without a 201',
    cell: (r) =>
      `${sum(r.warmup?.misrouted ?? 0, sum(r.open?.misrouted, r.closed?.misrouted)) ?? '–'} / ` +
      `${sum(r.warmup?.unconfirmed ?? 0, sum(r.open?.unconfirmed, r.closed?.unconfirmed)) ?? '–'}`,
  },
  { label: 'bad signatures', cell: (r) => `${badSignatures(r) ?? '–'}` },
  {
    label: 'sends over limit (max in 60 s)',
    cell: (r) => (r.robot ? `${r.robot.overLimitSends} (${r.robot.maxPerMinute})` : '–'),
  },
  { label: 'peak PSS MiB', cell: (r) => num(r.memory?.peakMiB), values: (r) => [r.memory?.peakMiB] },
  {
    label: 'steady PSS MiB (of which child processes)',
    cell: (r) => (r.memory ? `${num(r.memory.steadyMiB)} (${num(r.memory.steadyChildrenMiB)})` : '–'),
    values: (r) => [r.memory?.steadyMiB],
  },
  {
    label: 'PSS MiB during the open loop',
    cell: (r) => num(r.memory?.atRateMiB),
    values: (r) => [r.memory?.atRateMiB],
  },
  { label: 'processes', cell: (r) => `${r.memory?.processes ?? '–'}` },
  { label: 'CPU s (load phases)', cell: (r) => num(r.cpuS), values: (r) => [r.cpuS] },
  {
    label: 'DB transactions / rows read per report',
    cell: (r) =>
      r.database ? `${num(r.database.transactionsPerReport)} / ${num(r.database.rowsReadPerReport)}` : '–',
    values: (r) => [r.database?.transactionsPerReport, r.database?.rowsReadPerReport],
  },
  {
    label: 'start s fresh / warm; bot creation s',
    cell: (r) => `${num(r.startS)} / ${num(r.warmStartS)}; ${num(r.botsS)}`,
  },
];

export function renderTable(
  params: DeliveryParams,
  results: SystemResult[],
  load: { before: number[]; after: number[] },
  comparison: string[] = [],
) {
  const relay = results.find((result) => result.name === 'relay');
  const header = [''];
  for (const result of results) {
    header.push(result.name);
    if (result !== relay) header.push(`${result.name.replace('service-', '')}/relay`);
  }
  const rows = ROWS.map((row) => {
    const cells = [row.label];
    for (const result of results) {
      cells.push(result.error && !result.open ? 'failed' : row.cell(result));
      if (result === relay) continue;
      const service = row.values?.(result) ?? [];
      const base = relay ? (row.values?.(relay) ?? []) : [];
      cells.push(service.length === 0 ? '' : service.map((value, i) => ratio(value, base[i])).join(' / '));
    }
    return cells;
  });
  const widths = header.map((_, column) =>
    Math.max(...[header, ...rows].map((cells) => (cells[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] + 2))
      .join('')
      .trimEnd();
  const busy = (load.before[0] ?? 0) > cpus().length / 2;
  const notes = [
    ...(busy
      ? [
          `the machine was busy (load average ${load.before[0].toFixed(2)} on ${cpus().length} CPUs): not a figure to quote`,
        ]
      : []),
    ...comparison,
    ...params.caps.map((cap) => `capped: ${cap}`),
    ...results.flatMap((result) => [
      ...(result.error ? [`${result.name} failed: ${result.error}`] : []),
      ...(result.warmup && !result.warmup.drainComplete ? [`${result.name}: warm-up drain timed out`] : []),
      ...(result.open && !result.open.drainComplete ? [`${result.name}: open loop drain timed out`] : []),
      ...(result.closed && !result.closed.drainComplete
        ? [`${result.name}: closed loop drain timed out`]
        : []),
      ...(result.closed?.truncated ? [`${result.name}: closed loop stopped at its time bound`] : []),
      ...[
        ...(result.warmup?.errorSamples ?? []),
        ...(result.open?.errorSamples ?? []),
        ...(result.closed?.errorSamples ?? []),
      ]
        .slice(0, 3)
        .map((sample) => `${result.name} POST error: ${sample}`),
    ]),
  ];
  return [
    '',
    `delivery: ${params.bots} stores × 1 signed webhook bot (${params.limit}/min); ` +
      (params.warmup > 0 ? `${params.warmup} s warm-up, then ` : '') +
      `open loop ${params.rate} reports/s for ${params.duration} s; closed loop ${params.reports} reports by ${params.clients} clients`,
    `the service's DingTalk call budget is raised to ${BENCH_CALL_BUDGET_PER_SECOND}/s (default 400/s): the fake robot is not DingTalk`,
    "memory: PSS summed over each system's processes (service-embedded: the service and its PostgreSQL server); " +
      'the PostgreSQL server the relay and service-postgres share is counted for neither, nor is its CPU',
    line(header),
    ...rows.map(line),
    `load average before ${load.before.map((v) => v.toFixed(2)).join(' ')}, after ${load.after.map((v) => v.toFixed(2)).join(' ')}`,
    ...notes,
    '',
  ].join('\n');
}

function gitCommit(rootDir: string): { commit: string; dirty: boolean } {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: rootDir, encoding: 'utf8' }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--', 'src', 'bench', 'package.json'], {
      cwd: rootDir,
      encoding: 'utf8',
    });
    return { commit, dirty: status.trim().length > 0 };
  } catch {
    return { commit: 'unknown', dirty: true };
  }
}

/**
 * bench/results/<date>-delivery-<db>-<bots>.json, with the time added when that day's file exists.
 * `serviceNodeFlags`: Node's flags the service ran with (start:prod's, bench/delivery/start-command.ts; null when no
 * service ran), so that runs of an A/B of flags differ in their files, not only in their names.
 */
export function writeResults(
  rootDir: string,
  params: DeliveryParams,
  serviceNodeFlags: string[] | null,
  results: SystemResult[],
  load: { before: number[]; after: number[] },
  startedAt: Date,
  table: string,
): string {
  const directory = join(rootDir, 'bench', 'results');
  mkdirSync(directory, { recursive: true });
  const stamp = startedAt.toISOString();
  const base = `${stamp.slice(0, 10)}-delivery-${params.db}-${params.bots}`;
  let file = join(directory, `${base}.json`);
  if (existsSync(file)) file = join(directory, `${base}-${stamp.slice(11, 19).replaceAll(':', '')}.json`);
  const cpuList = cpus();
  const document = {
    benchmark: 'delivery',
    command: commandLine(params),
    invoked_as: process.env.BENCH_COMMAND ?? null,
    started_at: stamp,
    params,
    service_node_flags: serviceNodeFlags,
    machine: {
      cpus: cpuList.length,
      cpu_model: cpuList[0]?.model ?? 'unknown',
      memory_mib: Math.round(totalmem() / MIB),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
    },
    git: gitCommit(rootDir),
    load_average: load,
    results,
    table: table.split('\n'),
  };
  const rounded = (_key: string, value: unknown) =>
    typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 1000) / 1000 : value;
  writeFileSync(file, `${JSON.stringify(document, rounded, 2)}\n`);
  return file;
}

/** The bot count other runs are compared with (the default run). */
export const BASELINE_BOTS = 1000;

interface SavedRun {
  started_at: string;
  load_average: { before: number[] };
  results: SystemResult[];
}

/**
 * A run with another number of bots than BASELINE_BOTS, against the newest saved run of BASELINE_BOTS bots that
 * measured the same systems: the service's closed-loop delivery rate here / there, and its ratio to the relay here /
 * there. The second cancels most of a difference in the machine's load between the two runs (the relay runs beside
 * the service in each). Empty when there is no such run.
 */
export function compareWithBaseline(
  rootDir: string,
  params: DeliveryParams,
  results: SystemResult[],
): string[] {
  if (params.bots === BASELINE_BOTS) return [];
  const directory = join(rootDir, 'bench', 'results');
  const relay = results.find((result) => result.name === 'relay');
  const lines: string[] = [];
  for (const result of results) {
    if (result === relay || !result.closed) continue;
    const saved = existsSync(directory)
      ? readdirSync(directory)
          .filter((file) =>
            new RegExp(`-delivery-(both|${result.name.replace('service-', '')})-${BASELINE_BOTS}[-.]`).test(
              file,
            ),
          )
          .map((file) => ({ file, run: JSON.parse(readFileSync(join(directory, file), 'utf8')) as SavedRun }))
          .filter(({ run }) => run.results.some((r) => r.name === result.name && r.closed))
          .sort((a, b) => a.run.started_at.localeCompare(b.run.started_at))
          .at(-1)
      : undefined;
    if (!saved) {
      lines.push(`${result.name}: no saved run of ${BASELINE_BOTS} bots in bench/results to compare with`);
      continue;
    }
    const before = saved.run.results.find((r) => r.name === result.name)!;
    const beforeRelay = saved.run.results.find((r) => r.name === 'relay');
    const rate = result.closed.deliveredPerS / before.closed!.deliveredPerS;
    const toRelay = relay?.closed ? result.closed.deliveredPerS / relay.closed.deliveredPerS : NaN;
    const beforeToRelay = beforeRelay?.closed
      ? before.closed!.deliveredPerS / beforeRelay.closed.deliveredPerS
      : NaN;
    lines.push(
      `${result.name} at ${params.bots} bots vs ${BASELINE_BOTS} bots (${saved.file}, load ${saved.run.load_average.before[0]?.toFixed(2)}): ` +
        `delivery rate ${num(result.closed.deliveredPerS)}/s vs ${num(before.closed!.deliveredPerS)}/s = ${rate.toFixed(2)}x; ` +
        `as a share of the relay's in the same run ${toRelay.toFixed(2)} vs ${beforeToRelay.toFixed(2)} = ${(toRelay / beforeToRelay).toFixed(2)}x`,
    );
  }
  return lines;
}
