import { EventEmitter2 } from '@nestjs/event-emitter';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Test, TestingModule } from '@nestjs/testing';
import { getRepositoryToken } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimApp } from '../../simulator/core/simulator-state';
import { startSimulator, Simulator } from '../../simulator/simulator';
import { ManualClock } from '../../test/support/clocks';
import { testConfig } from '../../test/support/test-app';
import { createTestDatabase, TestDatabase } from '../../test/support/test-database';
import { waitFor } from '../../test/support/wait-for';
import { AppModule } from '../app.module';
import { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { BotStatusService } from '../dingtalk-bot/bot-status.service';
import { DingTalkBotService } from '../dingtalk-bot/dingtalk-bot.service';
import { DingTalkBot } from '../dingtalk-bot/entities/dingtalk-bot.entity';
import { AppEvent } from '../events/app-events';
import { BotSnapshot, BotUpdatedEvent } from '../events/dingtalk-bot.events';
import { INSTANCE_TTL_MS } from '../cluster/service-instance.repository';
import { StreamConnectionService } from './stream-connection.service';
import { LEASE_TTL_MS, STREAM_LEASE_RENEWAL } from './stream-lease.repository';
import { StreamStatusService } from './stream-status.service';

const ADMIN: AuthUser = { sub: 'spec', role: 'admin', storeIds: [] };

/**
 * The Stream connection service in a testing module of the whole application (no HTTP server): a real database,
 * the simulator's gateway over real sockets, and the Clock overridden by a ManualClock, so the lease job runs
 * only when the test moves time. Events go through EventEmitter2's emitAsync, as the bot service sends them.
 */
describe('StreamConnectionService (testing module)', () => {
  const clock = new ManualClock();
  let sim: Simulator;
  let database: TestDatabase;
  let module: TestingModule;
  let connections: StreamConnectionService;
  let bots: DingTalkBotService;
  let rows: Repository<DingTalkBot>;

  beforeAll(async () => {
    sim = await startSimulator({ clock, stream: { redeliveryDelayMs: null } });
    database = await createTestDatabase();
    const config = testConfig(database, { ...sim.env, INSTANCE_ID: 'this-instance' });
    module = await Test.createTestingModule({
      imports: [AppModule.forRoot({ config, database: database.connection })],
    })
      .overrideProvider(Clock)
      .useValue(clock)
      .compile();
    module.useLogger(false);
    await module.init();
    connections = module.get(StreamConnectionService);
    bots = module.get(DingTalkBotService);
    rows = module.get(getRepositoryToken(DingTalkBot));
  });
  afterAll(async () => {
    await module?.close();
    await database?.drop();
    await sim?.close();
  });

  async function createDisabledBot(dingApp: SimApp): Promise<{ id: number; appId: number }> {
    const created = await bots.create(ADMIN, {
      name: '测试机器人',
      store_id: 1,
      bot_type: 'stream',
      client_id: dingApp.clientId,
      client_secret: dingApp.clientSecret,
      agent_id: dingApp.agentId,
      is_enabled: false,
    });
    return { id: created.id, appId: created.app_id! };
  }

  const snapshot = (id: number, appId: number, isEnabled: boolean): BotSnapshot => ({
    id,
    storeId: 1,
    botType: 'stream',
    isEnabled,
    appId,
  });

  it("brings a bot's app in line with a dingtalk_bot.updated event before emitAsync resolves", async () => {
    const dingApp = sim.state.registerApp();
    const { id, appId } = await createDisabledBot(dingApp);
    await rows.update(id, { isEnabled: true });
    expect(connections.stateOf(appId)).toBeNull();

    const enabled: BotUpdatedEvent = {
      before: snapshot(id, appId, false),
      after: snapshot(id, appId, true),
      changed: ['isEnabled'],
    };
    await module.get(EventEmitter2).emitAsync(AppEvent.BotUpdated, enabled);
    expect(connections.stateOf(appId)).not.toBeNull();
    await waitFor(() => sim.stream.connections(dingApp.clientId).length === 1, 'the app connected');

    await rows.update(id, { isEnabled: false });
    const disabled: BotUpdatedEvent = {
      before: snapshot(id, appId, true),
      after: snapshot(id, appId, false),
      changed: ['isEnabled'],
    };
    await module.get(EventEmitter2).emitAsync(AppEvent.BotUpdated, disabled);
    expect(connections.stateOf(appId)).toBeNull();
    await waitFor(() => sim.stream.connections(dingApp.clientId).length === 0, 'the socket closed');
  });

  it('takes an app over through the stream-lease-renewal job once another instance lets its lease expire', async () => {
    expect(module.get(SchedulerRegistry).getIntervals()).toContain(STREAM_LEASE_RENEWAL);
    const dingApp = sim.state.registerApp();
    const { id, appId } = await createDisabledBot(dingApp);
    const dataSource = module.get(DataSource);
    await dataSource.query(
      `INSERT INTO stream_connection_leases (app_id, instance_id, expires_at) VALUES ($1, 'other-instance', $2)`,
      [appId, new Date(clock.now() + LEASE_TTL_MS)],
    );
    await bots.update(ADMIN, id, { is_enabled: true });
    expect(connections.stateOf(appId)).toBeNull();

    // Each probe moves time by a second; the job's rounds run as time passes the lease's expiry.
    const start = clock.now();
    await waitFor(
      async () => {
        await clock.advance(1_000);
        return connections.stateOf(appId) !== null;
      },
      'the lease job to take the app',
      30_000,
    );
    expect(clock.now() - start).toBeGreaterThan(LEASE_TTL_MS);
    const [lease] = await dataSource.query<Array<{ instance_id: string }>>(
      `SELECT instance_id FROM stream_connection_leases WHERE app_id = $1`,
      [appId],
    );
    expect(lease.instance_id).toBe('this-instance');
    await waitFor(() => sim.stream.connections(dingApp.clientId).length === 1, 'the app connected');
  });

  it("connects an app whose lease is this instance's but has no connection here at the next round, not after the lease lapses", async () => {
    // What a reconnect leaves when the database fails between stopping the old connection and taking the lease again.
    const dingApp = sim.state.registerApp();
    const { id, appId } = await createDisabledBot(dingApp);
    await module
      .get(DataSource)
      .query(
        `INSERT INTO stream_connection_leases (app_id, instance_id, expires_at) VALUES ($1, 'this-instance', $2)`,
        [appId, new Date(clock.now() + LEASE_TTL_MS)],
      );
    await rows.update(id, { isEnabled: true });
    const start = clock.now();
    await waitFor(
      async () => {
        await clock.advance(1_000);
        return connections.stateOf(appId) !== null;
      },
      'the lease job to connect the app',
      30_000,
    );
    expect(clock.now() - start).toBeLessThan(LEASE_TTL_MS);
    await waitFor(() => sim.stream.connections(dingApp.clientId).length === 1, 'the app connected');
  });

  it('answers for an app held by another instance from its lease, until that lease expires', async () => {
    const dingApp = sim.state.registerApp();
    const { id, appId } = await createDisabledBot(dingApp);
    const dataSource = module.get(DataSource);
    const since = new Date(clock.now() - 5_000);
    await dataSource.query(
      `INSERT INTO stream_connection_leases
         (app_id, instance_id, expires_at, acquired_at, connection_status, status_since, last_error, reconnect_count)
       VALUES ($1, 'other-instance', $2, $3, 'auth_failed', $3, 'DingTalk refused the app credentials', 2)`,
      [appId, new Date(clock.now() + LEASE_TTL_MS), since],
    );
    await dataSource.query(
      `INSERT INTO service_instances (instance_id, started_at, last_heartbeat_at) VALUES ('other-instance', $1, $1)`,
      [new Date(clock.now())],
    );
    const status = module.get(StreamStatusService);
    const appIn = async () => (await status.statusFor(ADMIN)).apps.find((app) => app.app_id === appId);
    // The bot is disabled: the app is listed with it, held by the other instance all the same.
    expect((await appIn())?.bots).toEqual([expect.objectContaining({ bot_id: id, is_enabled: false })]);
    await rows.update(id, { isEnabled: true });

    expect(await appIn()).toMatchObject({
      instance_id: 'other-instance',
      held_since: since.toISOString(),
      connection_status: 'auth_failed',
      status_since: since.toISOString(),
      last_error: 'DingTalk refused the app credentials',
      reconnect_count: 2,
    });
    const listed = (await status.statusFor(ADMIN)).instances.map((instance) => instance.instance_id);
    expect(listed).toEqual(expect.arrayContaining(['other-instance', 'this-instance']));
    expect((await module.get(BotStatusService).status(ADMIN, id)).instance_id).toBe('other-instance');

    // The other instance died: its lease lapses, nobody holds the app, and it drops off the instance list. (The bot
    // is disabled again first: with an enabled bot, this instance's lease job would take the app over.)
    await rows.update(id, { isEnabled: false });
    await clock.advance(Math.max(LEASE_TTL_MS, INSTANCE_TTL_MS) + 1_000);
    expect(await appIn()).toMatchObject({ instance_id: null, connection_status: 'disconnected' });
    const after = (await status.statusFor(ADMIN)).instances.map((instance) => instance.instance_id);
    expect(after).not.toContain('other-instance');
    expect(await module.get(BotStatusService).status(ADMIN, id)).toMatchObject({
      instance_id: null,
      connection_status: 'disconnected',
    });
  });
});
