import { Gauge, Registry } from 'prom-client';
import { StreamConnectionStatus } from './stream-app.supervisor';

const STATUSES: StreamConnectionStatus[] = [
  'connected',
  'connecting',
  'reconnecting',
  'disconnected',
  'auth_failed',
];

/** How many of `statuses` are in each status (every status present, 0 when none). */
export function countByStatus(
  statuses: Iterable<StreamConnectionStatus>,
): Record<StreamConnectionStatus, number> {
  const counts = Object.fromEntries(STATUSES.map((status) => [status, 0])) as Record<
    StreamConnectionStatus,
    number
  >;
  for (const status of statuses) counts[status] += 1;
  return counts;
}

/** The metric `dingtalk_stream_connections_total{status}`, read from `count` at each scrape. */
export function registerConnectionGauge(
  registry: Registry,
  count: () => Record<StreamConnectionStatus, number>,
): void {
  const gauge: Gauge<'status'> = new Gauge({
    name: 'dingtalk_stream_connections_total',
    help: 'Stream connections kept by this instance, by connection status',
    labelNames: ['status'],
    registers: [registry],
    collect: () => {
      const counts = count();
      for (const status of STATUSES) gauge.set({ status }, counts[status]);
    },
  });
}
