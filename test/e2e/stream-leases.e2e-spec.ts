import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { SimApp } from '../../simulator/core/simulator-state';
import { ManualClock } from '../support/clocks';
import { waitFor } from '../support/wait-for';
import { useTestApp } from '../support/use-test-app';
import { LEASE_RENEW_MS } from '../../src/stream/stream-lease.repository';
import { givenBot, givenDingTalkApp, givenStreamBot } from '../support/given';

/**
 * Several instances on one PostgreSQL, each stream bot connected by exactly one of them, and a stopped
 * instance's bots taken over. On both databases: the suite's embedded PostgreSQL is a server the apps share.
 */
describe('stream connections: one instance per app', () => {
  const clock = new ManualClock();
  const {
    sim,
    apps: [first, second],
  } = useTestApp({ simulator: true, clock, instances: ['instance-a', 'instance-b'] });

  async function advance(ms: number) {
    for (let moved = 0; moved < ms; moved += 5_000) {
      await clock.advance(5_000);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it("connects each bot's app from exactly one instance, and hands them over when that instance stops", async () => {
    const apps: SimApp[] = [sim.state.registerApp(), sim.state.registerApp(), sim.state.registerApp()];
    for (const [index, dingApp] of apps.entries()) {
      const via = index % 2 === 0 ? first : second;
      await givenStreamBot(via, dingApp, { name: `bot ${index}`, store_id: index === 1 ? 2 : 1 });
    }
    // The instance that did not see the create finds the bots at its next lease round, and must leave them alone.
    await advance(30_000);
    await waitFor(() => apps.every((dingApp) => sim.stream.connections(dingApp.clientId).length === 1));
    for (const dingApp of apps) expect(sim.stream.peakConnections(dingApp.clientId)).toBe(1);

    // Either instance answers for the whole cluster: the bots the other one holds read connected, held there.
    const holders = { 1: 'instance-a', 2: 'instance-b', 3: 'instance-a' };
    for (const via of [first, second]) {
      const overview = await via.request('GET', '/api/v1/stream/status');
      expect(overview.status).toBe(200);
      expect(overview.body.data).toMatchObject({ app_count: 3, bot_count: 3, connected_count: 3 });
      expect(
        overview.body.data.apps.map((app: Record<string, unknown> & { bots: Array<{ name: string }> }) => [
          app.client_id,
          app.bots.map((bot) => bot.name),
          app.instance_id,
          app.connection_status,
        ]),
      ).toEqual([
        [apps[0].clientId, ['bot 0'], holders[1], 'connected'],
        [apps[1].clientId, ['bot 1'], holders[2], 'connected'],
        [apps[2].clientId, ['bot 2'], holders[3], 'connected'],
      ]);
      for (const app of overview.body.data.apps) {
        expect(app.connected_since).toEqual(expect.any(String));
        expect(app.status_since).toEqual(expect.any(String));
        expect(app.held_since).toEqual(expect.any(String));
      }
      expect(
        overview.body.data.instances.map((instance: Record<string, unknown>) => [
          instance.instance_id,
          instance.app_count,
        ]),
      ).toEqual([
        ['instance-a', 2],
        ['instance-b', 1],
      ]);
      for (const instance of overview.body.data.instances) {
        expect(Date.parse(instance.last_heartbeat_at)).toBeGreaterThan(0);
      }
      for (const app of overview.body.data.apps) {
        const one = await via.request('GET', `/api/v1/dingtalk-bots/${app.bots[0].bot_id}/status`);
        expect(one.body.data).toMatchObject({
          connection_status: 'connected',
          instance_id: app.instance_id,
          connected_since: app.connected_since,
        });
      }
      // A store admin sees its stores' bots only, wherever they are held.
      const storeTwo = await via.request('GET', '/api/v1/stream/status', {
        token: via.token({ role: 'store_admin', store_ids: [2] }),
      });
      expect(
        storeTwo.body.data.apps.map((app: { bots: Array<{ name: string }> }) =>
          app.bots.map((bot) => bot.name),
        ),
      ).toEqual([['bot 1']]);
      expect(storeTwo.body.data.instances).toHaveLength(2);
    }

    // A dropped socket on one instance shows on the other, with the reason, until it is connected again.
    const droppedBot = apps[1];
    sim.stream.drop(sim.stream.connections(droppedBot.clientId)[0].id);
    await waitFor(async () => {
      const overview = await first.request('GET', '/api/v1/stream/status');
      const app = overview.body.data.apps.find(
        (a: { client_id: string }) => a.client_id === droppedBot.clientId,
      );
      return app.connection_status === 'reconnecting' && app.reconnect_count === 1 && app.last_error !== null;
    }, 'the other instance to show the drop');
    await advance(5_000);
    await waitFor(() => sim.stream.connections(droppedBot.clientId).length === 1, 'reconnected');

    await first.app.close();
    await advance(15_000);
    await waitFor(
      () => apps.every((dingApp) => sim.stream.connections(dingApp.clientId).length === 1),
      'every bot connected by the remaining instance',
    );
    await waitFor(async () => {
      const status = await second.request('GET', '/api/v1/stream/status');
      return status.body.data.connected_count === 3;
    }, 'every bot connected in the remaining instance view');
    const status = await second.request('GET', '/api/v1/stream/status');
    expect(status.body.data.apps.map((app: { instance_id: string }) => app.instance_id)).toEqual([
      'instance-b',
      'instance-b',
      'instance-b',
    ]);
    // The stopped instance said goodbye: only the remaining one is listed.
    expect(status.body.data.instances.map((i: { instance_id: string }) => i.instance_id)).toEqual([
      'instance-b',
    ]);
  });
});

/**
 * A change served by the instance that does not hold the app reaches the one that does through its lease rounds:
 * the in-process event only syncs the instance that served the request, which holds nothing (issue 23).
 */
describe('stream connections: a change made through another instance reaches the holder', () => {
  const clock = new ManualClock();
  const {
    sim,
    apps: [holder, other],
  } = useTestApp({ simulator: true, clock, instances: ['instance-a', 'instance-b'] });

  /** Moves time a second at a time, so that lease rounds run as it passes them, until `condition` holds. */
  const roundsUntil = (condition: () => boolean | Promise<boolean>, description: string) =>
    waitFor(
      async () => {
        await clock.advance(1_000);
        return condition();
      },
      description,
      20_000,
    );
  const leaseOf = async (appId: number) => {
    const rows = await holder.app
      .get(DataSource)
      .query<Array<{ instance_id: string }>>(
        `SELECT instance_id FROM stream_connection_leases WHERE app_id = $1`,
        [appId],
      );
    return rows[0]?.instance_id ?? null;
  };

  it('reconnects with the new secret, closes when the last bot is disabled, and is taken again when enabled', async () => {
    const dingApp = sim.state.registerApp();
    const app = await givenDingTalkApp(holder, dingApp);
    const bot = await givenBot(holder, {
      name: '一号店',
      store_id: 1,
      bot_type: 'stream',
      app_id: app.id,
      open_conversation_id: 'cidLeaseStore1==',
    });
    const live = () => sim.stream.connections(dingApp.clientId);
    await waitFor(() => live().length === 1, 'the app connected');
    expect(await leaseOf(app.id)).toBe('instance-a');
    const first = live()[0].id;
    // Rounds that find nothing changed keep the connection.
    const connectedAt = clock.now();
    await roundsUntil(() => clock.now() >= connectedAt + 3 * LEASE_RENEW_MS, 'three lease rounds');
    expect(live().map((c) => c.id)).toEqual([first]);

    // The secret is reset in DingTalk's console (the old one opens nothing now) and given through instance-b.
    sim.state.apps.get(dingApp.clientId)!.clientSecret = 'rotated-secret';
    const rotatedAt = clock.now();
    const rotated = await other.request('PUT', `/api/v1/dingtalk-apps/${app.id}`, {
      body: { client_secret: 'rotated-secret' },
    });
    expect(rotated.status, rotated.text).toBe(200);
    await roundsUntil(
      () => live().length === 1 && live()[0].id !== first,
      'the holder to connect again with the new secret',
    );
    const opened = sim.stream.opens.filter(
      (open) => open.clientId === dingApp.clientId && open.at >= rotatedAt,
    );
    expect(opened.map((open) => open.status)).toEqual([200]);
    expect(sim.stream.peakConnections(dingApp.clientId)).toBe(1);
    expect(await leaseOf(app.id)).toBe('instance-a');

    // Its last enabled bot disabled through instance-b: the holder closes the connection and gives the lease back.
    const disabled = await other.request('PUT', `/api/v1/dingtalk-bots/${bot.id}`, {
      body: { is_enabled: false },
    });
    expect(disabled.status, disabled.text).toBe(200);
    await roundsUntil(
      async () => live().length === 0 && (await leaseOf(app.id)) === null,
      'the connection closed and the lease released',
    );

    // Enabled again through instance-b: the lease is free, so that instance connects the app, once in the cluster.
    const enabled = await other.request('PUT', `/api/v1/dingtalk-bots/${bot.id}`, {
      body: { is_enabled: true },
    });
    expect(enabled.status, enabled.text).toBe(200);
    await waitFor(() => live().length === 1, 'the app connected again');
    expect(await leaseOf(app.id)).toBe('instance-b');
    const again = live()[0].id;
    const reconnectedAt = clock.now();
    await roundsUntil(() => clock.now() >= reconnectedAt + 3 * LEASE_RENEW_MS, 'three more lease rounds');
    expect(live().map((c) => c.id)).toEqual([again]);
    expect(sim.stream.peakConnections(dingApp.clientId)).toBe(1);
  });
});
