import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimApp } from '../../simulator/core/simulator-state';
import { startSimulator, Simulator } from '../../simulator/simulator';
import { ManualClock } from '../support/clocks';
import { startTestApp, TestApp } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { waitFor } from '../support/wait-for';

/**
 * Several instances on one PostgreSQL, each stream bot connected by exactly one of them, and a stopped
 * instance's bots taken over. Needs a server database (the embedded one serves a single process).
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)('stream connections: one instance per bot', () => {
  const clock = new ManualClock();
  let sim: Simulator;
  let database: TestDatabase;
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    sim = await startSimulator({ clock });
    database = await createTestDatabase();
    first = await startTestApp({ env: { ...sim.env, INSTANCE_ID: 'instance-a' }, clock, database });
    second = await startTestApp({ env: { ...sim.env, INSTANCE_ID: 'instance-b' }, clock, database });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
    await database?.drop();
    await sim?.close();
  });

  async function advance(ms: number) {
    for (let moved = 0; moved < ms; moved += 5_000) {
      await clock.advance(5_000);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('connects each bot from exactly one instance, and hands them over when that instance stops', async () => {
    const apps: SimApp[] = [sim.state.registerApp(), sim.state.registerApp(), sim.state.registerApp()];
    for (const [index, dingApp] of apps.entries()) {
      const via = index % 2 === 0 ? first : second;
      const created = await via.request('POST', '/api/v1/dingtalk-bots', {
        body: {
          name: `bot ${index}`,
          store_id: 1,
          bot_type: 'stream',
          client_id: dingApp.clientId,
          client_secret: dingApp.clientSecret,
          agent_id: dingApp.agentId,
        },
      });
      expect(created.status).toBe(201);
    }
    // The instance that did not see the create finds the bots at its next lease round, and must leave them alone.
    await advance(30_000);
    await waitFor(() => apps.every((dingApp) => sim.stream.connections(dingApp.clientId).length === 1));
    for (const dingApp of apps) expect(sim.stream.peakConnections(dingApp.clientId)).toBe(1);

    await first.app.close();
    await advance(15_000);
    await waitFor(
      () => apps.every((dingApp) => sim.stream.connections(dingApp.clientId).length === 1),
      'every bot connected by the remaining instance',
    );
    const status = await second.request('GET', '/api/v1/stream/status');
    expect(status.body.data.connected_count).toBe(3);
  });
});
