import { Client, Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimApp } from '../../simulator/core/simulator-state';
import { startSimulator, Simulator } from '../../simulator/simulator';
import { ManualClock } from '../support/clocks';
import { restartTestApp, startTestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';
import { waitFor } from '../support/wait-for';
import { BotFields, givenStreamBot } from '../support/given';
import { useTestApp } from '../support/use-test-app';

/**
 * The Stream connection layer against the simulator's gateway over real sockets. Time is a ManualClock shared by
 * both: a reconnect backoff or the gateway's 10 s before a close passes only when the test moves time.
 */
describe('stream connections: lifecycle and supervision', () => {
  const clock = new ManualClock();
  const { sim, t: app } = useTestApp({ simulator: { stream: { redeliveryDelayMs: null } }, clock });

  async function createBot(dingApp: SimApp, overrides: BotFields = {}): Promise<number> {
    return (await givenStreamBot(app, dingApp, { name: '一号店机器人', ...overrides })).id;
  }

  async function status(id: number) {
    const response = await app.request('GET', `/api/v1/dingtalk-bots/${id}/status`);
    expect(response.status).toBe(200);
    return response.body.data as Record<string, unknown>;
  }

  /**
   * Moves time in 10 s steps, letting real time pass between them: keepalive pings of the other connections go
   * out on the way, and their pongs need a moment of real time to come back before the pong deadline is checked.
   */
  async function advance(ms: number) {
    for (let moved = 0; moved < ms; moved += 10_000) {
      await clock.advance(Math.min(10_000, ms - moved));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  const live = (dingApp: SimApp) => sim.stream.connections(dingApp.clientId);
  const connectedOnce = (dingApp: SimApp) => waitFor(() => live(dingApp).length === 1, 'one live connection');
  const statusIs = (id: number, expected: string) =>
    waitFor(async () => (await status(id)).connection_status === expected, `status ${expected}`);

  it('connects a stream bot when it is created, and reports it in every status view', async () => {
    const dingApp = sim.state.registerApp();
    const id = await createBot(dingApp);
    await connectedOnce(dingApp);
    await statusIs(id, 'connected');
    expect(await status(id)).toMatchObject({
      connection_status: 'connected',
      connected_since: new Date(clock.now()).toISOString(),
      reconnect_count: 0,
      last_error: null,
    });
    expect(live(dingApp)[0].subscriptions).toContainEqual({
      type: 'CALLBACK',
      topic: '/v1.0/im/bot/messages/get',
    });
    const appId = (await app.request('GET', `/api/v1/dingtalk-bots/${id}`)).body.data.app_id;
    expect(app.logs.text()).toContain(`Stream app connected app_id=${appId} client_id=${dingApp.clientId}`);

    const overview = await app.request('GET', '/api/v1/stream/status');
    expect(overview.body.data).toMatchObject({ running: true });
    expect(overview.body.data.apps).toContainEqual(
      expect.objectContaining({
        app_id: appId,
        client_id: dingApp.clientId,
        connection_status: 'connected',
        bots: [expect.objectContaining({ bot_id: id, store_id: 1 })],
      }),
    );
    const otherStore = await app.request('GET', '/api/v1/stream/status', {
      token: app.token({ role: 'store_admin', store_ids: [2] }),
    });
    expect(otherStore.body.data.apps.map((listed: { app_id: number }) => listed.app_id)).not.toContain(appId);

    const health = await app.request('GET', '/health', { token: null });
    expect(health.body.stream.connected).toBeGreaterThanOrEqual(1);
    const metrics = await app.request('GET', '/metrics', { token: null });
    expect(metrics.text).toMatch(/dingtalk_stream_connections_total\{status="connected"\} [1-9]/);
  });

  it("stops on disable, starts on enable, restarts on the app's new secret, stops on delete", async () => {
    const dingApp = sim.state.registerApp();
    const id = await createBot(dingApp);
    await connectedOnce(dingApp);

    await app.request('PUT', `/api/v1/dingtalk-bots/${id}`, { body: { is_enabled: false } });
    await waitFor(() => live(dingApp).length === 0, 'closed after disable');
    expect((await status(id)).connection_status).toBe('disconnected');

    await app.request('PUT', `/api/v1/dingtalk-bots/${id}`, { body: { is_enabled: true } });
    await connectedOnce(dingApp);
    const before = live(dingApp)[0].id;

    // The app's secret is reset in DingTalk's console, and an admin gives the app its new one.
    dingApp.clientSecret = 'rotated-secret-value';
    const appId = (await app.request('GET', `/api/v1/dingtalk-bots/${id}`)).body.data.app_id;
    const rotated = await app.request('PUT', `/api/v1/dingtalk-apps/${appId}`, {
      body: { client_secret: dingApp.clientSecret },
    });
    expect(rotated.status).toBe(200);
    await waitFor(() => live(dingApp).length === 1 && live(dingApp)[0].id !== before, 'a new connection');
    await statusIs(id, 'connected');

    await app.request('PUT', `/api/v1/dingtalk-bots/${id}`, { body: { name: 'renamed' } });
    expect(live(dingApp).map((connection) => connection.id)).toEqual([live(dingApp)[0].id]);

    await app.request('DELETE', `/api/v1/dingtalk-bots/${id}`);
    await waitFor(() => live(dingApp).length === 0, 'closed after delete');
    expect(app.logs.text()).not.toContain('rotated-secret-value');
  });

  it('reconnects after a dropped socket, passing through reconnecting', async () => {
    const dingApp = sim.state.registerApp();
    const id = await createBot(dingApp);
    await connectedOnce(dingApp);
    sim.stream.drop(live(dingApp)[0].id);
    await statusIs(id, 'reconnecting');
    expect(live(dingApp)).toHaveLength(0);
    await clock.advance(1_000);
    await connectedOnce(dingApp);
    await statusIs(id, 'connected');
    expect((await status(id)).reconnect_count).toBe(1);
  });

  it('leaves at once on a disconnect frame, before the gateway closes the old socket', async () => {
    const dingApp = sim.state.registerApp();
    const id = await createBot(dingApp);
    await connectedOnce(dingApp);
    const old = live(dingApp)[0].id;
    sim.stream.disconnect(old);
    await waitFor(() => live(dingApp).length === 1 && live(dingApp)[0].id !== old, 'a fresh connection');
    await statusIs(id, 'connected');
    expect(sim.stream.history.find((entry) => entry.id === old)?.closedAt).not.toBeNull();
  });

  it('keeps exactly one socket per app through 50 forced drops', async () => {
    const apps = [sim.state.registerApp(), sim.state.registerApp()];
    for (const dingApp of apps) await createBot(dingApp);
    for (const dingApp of apps) await connectedOnce(dingApp);
    for (let round = 0; round < 50; round++) {
      const dropped = new Set(apps.flatMap((dingApp) => live(dingApp).map((connection) => connection.id)));
      for (const id of dropped) sim.stream.drop(id);
      await advance(60_000);
      for (const dingApp of apps) {
        await waitFor(
          () => live(dingApp).length === 1 && !dropped.has(live(dingApp)[0].id),
          `round ${round}: one fresh connection`,
        );
      }
    }
    for (const dingApp of apps) {
      expect(live(dingApp)).toHaveLength(1);
      expect(sim.stream.peakConnections(dingApp.clientId)).toBe(1);
    }
  });

  it('ignores a frame that is not JSON and keeps the connection', async () => {
    const dingApp = sim.state.registerApp();
    const id = await createBot(dingApp);
    await connectedOnce(dingApp);
    const connection = live(dingApp)[0].id;
    sim.stream.sendGarbage(connection, '<html>502 Bad Gateway</html>');
    await waitFor(() => app.logs.text().includes('not a Stream frame'), 'the ignored frame in the log');
    const ping = sim.stream.ping(connection);
    await waitFor(() => sim.stream.pingAnswered(ping.messageId, ping.opaque), 'the ping echo');
    expect(live(dingApp).map((c) => c.id)).toEqual([connection]);
    expect((await status(id)).connection_status).toBe('connected');
  });

  it('treats a silent link as dead after the keepalive ping goes unanswered', async () => {
    const dingApp = sim.state.registerApp();
    const id = await createBot(dingApp);
    await connectedOnce(dingApp);
    const silent = live(dingApp)[0].id;
    sim.stream.setSilent(silent, true);
    await advance(60_000); // idle: the client pings
    // No pong: 10 s later the client gives up on the link. Time moves in small steps until it has: on a loaded
    // machine the ping (and its 10 s deadline) may be armed only after a single large step was already taken.
    await waitFor(
      async () => {
        await clock.advance(100);
        return (await status(id)).connection_status === 'reconnecting';
      },
      'the link given up after the unanswered ping',
      30_000,
    );
    expect((await status(id)).last_error).toMatch(/keepalive/);
    await clock.advance(1_000);
    await waitFor(() => live(dingApp).some((c) => c.id !== silent), 'a fresh connection');
    await statusIs(id, 'connected');
  });

  it('reports auth_failed when DingTalk refuses the credentials, without quoting them', async () => {
    const dingApp = sim.state.registerApp();
    const id = await createBot(dingApp, { client_secret: 'not-the-right-secret' });
    await statusIs(id, 'auth_failed');
    const { last_error } = await status(id);
    expect(last_error).toMatch(/401/);
    expect(JSON.stringify(await app.request('GET', '/api/v1/stream/status'))).not.toContain(
      'not-the-right-secret',
    );
    expect(app.logs.text()).not.toContain('not-the-right-secret');
    // Fixed on DingTalk's side: the slow retry (about five minutes) picks it up.
    dingApp.clientSecret = 'not-the-right-secret';
    await advance(6 * 60_000);
    await statusIs(id, 'connected');
  });

  it('applies 20 concurrent enable/disable updates in order, ending with the last and one connection at most', async () => {
    const dingApp = sim.state.registerApp();
    const id = await createBot(dingApp);
    await connectedOnce(dingApp);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        app.request('PUT', `/api/v1/dingtalk-bots/${id}`, { body: { is_enabled: i % 2 === 1 } }),
      ),
    );
    const final = (await app.request('GET', `/api/v1/dingtalk-bots/${id}`)).body.data.is_enabled as boolean;
    await waitFor(() => live(dingApp).length === (final ? 1 : 0), `the final state (enabled=${final})`);
    await statusIs(id, final ? 'connected' : 'disconnected');
    expect(sim.stream.peakConnections(dingApp.clientId)).toBe(1);
  });
});

describe('stream connections: start-up and shutdown', () => {
  const clock = new ManualClock();
  let sim: Simulator;

  beforeAll(async () => {
    sim = await startSimulator({ clock });
  });
  afterAll(() => sim?.close());

  it('connects the app of every enabled stream bot at start-up and closes every socket at shutdown', async () => {
    const database = await createTestDatabase();
    const first = await startTestApp({ env: sim.env, clock, database });
    const apps = [sim.state.registerApp(), sim.state.registerApp(), sim.state.registerApp()];
    const ids: number[] = [];
    for (const dingApp of apps) {
      ids.push((await givenStreamBot(first, dingApp, { name: 'bot' })).id);
    }
    await first.request('PUT', `/api/v1/dingtalk-bots/${ids[2]}`, { body: { is_enabled: false } });
    await waitFor(() => sim.stream.connections().length === 2, 'two connections');
    await first.close();
    expect(sim.stream.connections()).toHaveLength(0);

    const second = await restartTestApp({ env: sim.env, clock, database });
    try {
      await waitFor(
        () => second.logs.text().includes('Stream clients initialized: apps=2, success=2'),
        'the start-up summary',
      );
      expect(
        sim.stream
          .connections()
          .map((c) => c.clientId)
          .sort(),
      ).toEqual([apps[0].clientId, apps[1].clientId].sort());
    } finally {
      await second.close();
      await database.drop();
    }
    expect(sim.stream.connections()).toHaveLength(0);
  });

  it("applies the bots' last connection state before the database closes, not on a connection given back mid-statement", async () => {
    const database = await createTestDatabase();
    const t = await startTestApp({ env: sim.env, clock, database });
    const dingApp = sim.state.registerApp();
    const { id } = await givenStreamBot(t, dingApp, { name: 'bot' });
    await waitFor(() => sim.stream.connections(dingApp.clientId).length === 1, 'one connection');

    // A connection the pool takes back while node-postgres still runs a statement on it (TypeORM's close releases
    // every connection in use): its next user's statements would queue behind that one.
    const pool = (t.app.get(DataSource).driver as PostgresDriver).master as Pool;
    const givenBackBusy: string[] = [];
    let firstGivenBackBusy = () => {};
    const givenBack = new Promise<void>((resolve) => (firstGivenBackBusy = resolve));
    pool.on('release', (_error: unknown, client: PoolClient) => {
      const { _activeQuery: active, _queryQueue: queued } = client as unknown as {
        _activeQuery?: { text?: string } | null;
        _queryQueue?: Array<{ text?: string }>;
      };
      if (active || (queued?.length ?? 0) > 0) {
        givenBackBusy.push([active, ...(queued ?? [])].map((query) => query?.text ?? '').join(' | '));
        firstGivenBackBusy();
      }
    });

    // The bot's health row held locked: the shutdown's `disconnected` for it waits on the lock, in its transaction.
    const holder = new Client({ connectionString: database.connection.url });
    const watcher = new Client({ connectionString: database.connection.url });
    await holder.connect();
    await watcher.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM bot_health WHERE bot_id = $1 FOR UPDATE', [id]);
      const closing = t.close();
      await waitFor(async () => {
        const { rows } = await watcher.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FROM bot_health%FOR UPDATE%'`,
        );
        return rows[0].n === 1;
      }, "the bot's health change waiting on its row");
      // A close that does not wait for that change reaches the data source's close now, which gives its connection
      // back at once; one that waits stays in the stream module's stop until the lock is let go. (A bounded wait: the
      // second case has nothing to wait for; the rest of the shutdown takes milliseconds.)
      await Promise.race([givenBack, new Promise((resolve) => setTimeout(resolve, 1_000))]);
      await holder.query('COMMIT');
      await closing;
    } finally {
      await holder.end();
      await watcher.end();
      await database.drop();
    }
    expect(givenBackBusy).toEqual([]);
  });
});
