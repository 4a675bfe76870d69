import { it } from 'vitest';
import WebSocket from 'ws';
import { startSimulator } from '../simulator/simulator';
import { SimApp } from '../simulator/core/simulator-state';
import { startTestApp, TestApp } from '../test/support/test-app';
import { createTestDatabase, TestDatabase } from '../test/support/test-database';
import { waitFor } from '../test/support/wait-for';

/**
 * stream-connect: 200 stream bots against the simulator. Measures the time from the service's start until all 200
 * are connected, and the memory it takes, against a baseline in the same run: the same 200 connections made by bare
 * `ws` clients (connections/open + WebSocket, 10 at a time, as the service's start-up does).
 * Reproduce: `npm run bench -- stream-connect` (BOTS=50 for a smaller run).
 */
const BOTS = Number(process.env.BOTS ?? 200);
const CONCURRENCY = 10;

function memory() {
  global.gc?.();
  const usage = process.memoryUsage();
  return { rss: usage.rss, heap: usage.heapUsed };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

async function restartOn(database: TestDatabase, env: Record<string, string>): Promise<TestApp> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startTestApp({ env: { ...env, LOG_LEVEL: 'warn' }, database });
    } catch (error) {
      if (attempt >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

async function rawClients(url: string, apps: SimApp[]): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  const queue = [...apps];
  const worker = async () => {
    for (let app = queue.shift(); app; app = queue.shift()) {
      const response = await fetch(`${url}/v1.0/gateway/connections/open`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({
          clientId: app.clientId,
          clientSecret: app.clientSecret,
          subscriptions: [{ type: 'CALLBACK', topic: '/v1.0/im/bot/messages/get' }],
        }),
      });
      const { endpoint, ticket } = (await response.json()) as { endpoint: string; ticket: string };
      const socket = new WebSocket(`${endpoint}?ticket=${ticket}`);
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      sockets.push(socket);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return sockets;
}

it(`stream-connect: ${BOTS} stream bots`, async () => {
  const sim = await startSimulator();
  const database = await createTestDatabase();
  const apps = Array.from({ length: BOTS }, () => sim.state.registerApp());
  try {
    // Baseline: bare ws clients.
    const rawBefore = memory();
    let started = performance.now();
    const sockets = await rawClients(sim.url, apps);
    await waitFor(() => sim.stream.connections().length === BOTS, 'raw connections', 120_000);
    const rawMs = performance.now() - started;
    const rawAfter = memory();
    for (const socket of sockets) socket.terminate();
    await waitFor(() => sim.stream.connections().length === 0, 'raw sockets closed');

    // The bots, created disabled through the API, then enabled in the database so the next start connects them all.
    const setup = await startTestApp({ env: { ...sim.env, LOG_LEVEL: 'warn' }, database });
    for (const app of apps) {
      await setup.request('POST', '/api/v1/dingtalk-bots', {
        body: {
          name: 'bench',
          store_id: 1,
          bot_type: 'stream',
          is_enabled: false,
          client_id: app.clientId,
          client_secret: app.clientSecret,
          agent_id: app.agentId,
        },
      });
    }
    const { DataSource } = await import('typeorm');
    await setup.app.get(DataSource).query(`UPDATE ding_talk_bots SET is_enabled = true`);
    await setup.close();

    const serviceBefore = memory();
    started = performance.now();
    const service = await restartOn(database, sim.env);
    await waitFor(() => sim.stream.connections().length === BOTS, 'service connections', 300_000);
    const serviceMs = performance.now() - started;
    const serviceAfter = memory();
    await service.close();

    const rows = [
      ['', 'time to all connected', 'RSS delta', 'heap delta'],
      [
        'raw ws clients (baseline)',
        `${rawMs.toFixed(0)} ms`,
        mb(rawAfter.rss - rawBefore.rss),
        mb(rawAfter.heap - rawBefore.heap),
      ],
      [
        'service start (incl. app boot)',
        `${serviceMs.toFixed(0)} ms`,
        mb(serviceAfter.rss - serviceBefore.rss),
        mb(serviceAfter.heap - serviceBefore.heap),
      ],
      [
        'ratio service / baseline',
        `${(serviceMs / rawMs).toFixed(2)}x`,
        `${((serviceAfter.rss - serviceBefore.rss) / Math.max(1, rawAfter.rss - rawBefore.rss)).toFixed(2)}x`,
        `${((serviceAfter.heap - serviceBefore.heap) / Math.max(1, rawAfter.heap - rawBefore.heap)).toFixed(2)}x`,
      ],
    ];
    process.stdout.write(
      `\nstream-connect, ${BOTS} bots (simulator in the same process; memory deltas include its side of the sockets)\n` +
        rows.map((row) => row.map((cell, i) => cell.padEnd(i === 0 ? 32 : 22)).join('')).join('\n') +
        '\n\n',
    );
  } finally {
    await database.drop();
    await sim.close();
  }
});
