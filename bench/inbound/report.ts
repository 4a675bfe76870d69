import { writeResultsFile } from '../support/results-file';
import { InboundCounts, Latency, LoadResult } from './load';
import { inboundCommandLine, InboundParams } from './params';

/** One system's run: what the load did, what became of each message, and what the processes used. */
export interface InboundResult {
  name: string;
  load?: LoadResult;
  counts?: InboundCounts;
  ackMs?: Latency;
  replyMs?: Latency;
  /** Every message settled (ACKed and answered) before the drain ran out. */
  drained?: boolean;
  /** `connections/open` calls of the app during the run, and its live connections at the end: 1 and 1. */
  connectionsOpened?: number;
  liveConnections?: number;
  /** CPU seconds of the system's and of the simulator's processes during the load and drain; the system's PSS. */
  systemCpuS?: number;
  simulatorCpuS?: number;
  systemPeakPssMiB?: number;
  /** Counts only the system gives (bench/inbound/systems.ts RunningSystem.counts). */
  extra?: Record<string, number>;
  error?: string;
}

const ms = (value: number | undefined) =>
  value === undefined || Number.isNaN(value) ? '-' : `${value.toFixed(0)} ms`;

/** Rows of the printed table: a label and each system's figure. */
function rows(results: InboundResult[]): string[][] {
  const row = (label: string, cell: (result: InboundResult) => string) => [
    label,
    ...results.map((result) => (result.error ? 'failed' : cell(result))),
  ];
  const count = (value: number | undefined, of?: number) =>
    value === undefined ? '-' : of === undefined ? String(value) : `${value} / ${of}`;
  return [
    ['', ...results.map((result) => result.name)],
    row('messages written', (r) => count(r.load?.written)),
    row('refused writes', (r) => JSON.stringify(r.load?.refused ?? {})),
    row('ACKed', (r) => count(r.counts?.acked, r.counts?.messages)),
    row('ACK p50 / p99 / max', (r) => [r.ackMs?.p50, r.ackMs?.p99, r.ackMs?.max].map(ms).join(' / ')),
    row('replied', (r) => count(r.counts?.replied, r.counts?.messages)),
    row('reply p50 / p99 / max', (r) => [r.replyMs?.p50, r.replyMs?.p99, r.replyMs?.max].map(ms).join(' / ')),
    row(
      'redelivered / double ACKs',
      (r) => `${count(r.counts?.redelivered)} / ${count(r.counts?.doubleAcks)}`,
    ),
    row(
      'refused / double replies',
      (r) => `${count(r.counts?.refusedReplies)} / ${count(r.counts?.doubleReplies)}`,
    ),
    row('connections opened / live', (r) => `${count(r.connectionsOpened)} / ${count(r.liveConnections)}`),
    row(
      'CPU system / simulator',
      (r) => `${r.systemCpuS?.toFixed(1) ?? '-'} s / ${r.simulatorCpuS?.toFixed(1) ?? '-'} s`,
    ),
    row('system PSS peak', (r) => `${r.systemPeakPssMiB?.toFixed(0) ?? '-'} MiB`),
    row('load generator lag max', (r) => ms(r.load?.maxLagMs)),
    ...[...new Set(results.flatMap((result) => Object.keys(result.extra ?? {})))].map((key) =>
      row(key, (r) => count(r.extra?.[key])),
    ),
  ];
}

export function renderInboundTable(params: InboundParams, results: InboundResult[]): string {
  const table = rows(results);
  const widths = table[0].map((_, column) => Math.max(...table.map((line) => line[column].length)) + 2);
  const lines = table.map((line) =>
    line
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('')
      .trimEnd(),
  );
  const errors = results.filter((result) => result.error).map((result) => `${result.name}: ${result.error}`);
  return (
    `\ninbound: ${params.groups} groups of one app, ${params.rate} messages/s for ${params.duration} s over one ` +
    `Stream connection (latencies from the push, on the simulator's clock)\n${lines.join('\n')}\n` +
    (errors.length > 0 ? `${errors.join('\n')}\n` : '') +
    '\n'
  );
}

/** bench/results/<date>-inbound-<groups>x<rate>x<duration>.json (bench/support/results-file.ts). */
export function writeInboundResults(
  rootDir: string,
  params: InboundParams,
  results: InboundResult[],
  startedAt: Date,
  table: string,
): string {
  return writeResultsFile(rootDir, `inbound-${params.groups}x${params.rate}x${params.duration}`, startedAt, {
    benchmark: 'inbound',
    command: inboundCommandLine(params),
    params,
    results,
    table: table.split('\n'),
  });
}
