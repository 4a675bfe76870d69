import { describe, expect, it } from 'vitest';
import { SimApp } from '../../simulator/core/simulator-state';
import { ManualClock } from '../support/clocks';
import { waitFor } from '../support/wait-for';
import { useTestApp } from '../support/use-test-app';
import { givenStreamBot } from '../support/given';

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
