import { DataSource } from 'typeorm';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../test/support/clocks';
import { givenBotOnOwnRobot } from '../../../../test/support/delivery-queue';
import { useTestApp } from '../../../../test/support/use-test-app';
import { RATE_WINDOW_MS } from '../rate-window';
import { RateWindowRepository } from './rate-window.repository';

const MARGIN_MS = 2_000;

/** RateWindowRepository on the real database: robots' windows and pauses, the cluster's budget and IP block. */
describe('RateWindowRepository', () => {
  const clock = new ManualClock(Date.now());
  const { t } = useTestApp({ clock, env: { DELIVERY_RATE_MARGIN_MS: String(MARGIN_MS) } });
  const db = () => t.app.get(DataSource);
  const windows = () => t.app.get(RateWindowRepository);
  const robotOf = async (botId: number) =>
    (
      await db().query(`SELECT COALESCE(robot_key, 'bot:' || id) AS key FROM ding_talk_bots WHERE id = $1`, [
        botId,
      ])
    )[0].key as string;
  const row = async (key: string) =>
    (
      await db().query(
        `SELECT recent_sends, paused_until, pause_hint FROM robot_rate_windows WHERE robot_key = $1`,
        [key],
      )
    )[0] as { recent_sends: number[]; paused_until: Date | null; pause_hint: string | null } | undefined;
  /** A send's reservation, in a transaction of its own (the test button writes its notification in it). */
  const reserve = (botId: number) => db().transaction((manager) => windows().reserveSend(manager, botId));
  const budget = async () =>
    (await db().query(`SELECT blocked_until, block_hint FROM dingtalk_call_budget WHERE id = 1`))[0] as {
      blocked_until: Date | null;
      block_hint: string | null;
    };

  afterEach(async () => {
    // The cluster's block reaches every bot of the file: each test starts without one.
    await db().query(`UPDATE dingtalk_call_budget SET blocked_until = NULL, block_hint = NULL WHERE id = 1`);
  });

  it('locks the robots a claim sends through, making rows for new ones, and passes over one another claim holds', async () => {
    const known = await robotOf((await givenBotOnOwnRobot(t, { store_id: 401 })).id);
    const held = await robotOf((await givenBotOnOwnRobot(t, { store_id: 402 })).id);
    await db().query(
      `INSERT INTO robot_rate_windows (robot_key, recent_sends) VALUES ($1, '[1, 2]'), ($2, '[]')`,
      [known, held],
    );
    const other = db().createQueryRunner();
    await other.connect();
    try {
      await other.startTransaction();
      await other.query(`SELECT 1 FROM robot_rate_windows WHERE robot_key = $1 FOR UPDATE`, [held]);

      const locked = await db().transaction((manager) =>
        windows().lockRobots(manager, [known, held, 'robot:new-401']),
      );

      expect([...locked.keys()].sort()).toEqual([known, 'robot:new-401'].sort());
      expect(locked.get(known)).toMatchObject({ recent_sends: [1, 2], paused_until: null });
      expect(locked.get('robot:new-401')).toMatchObject({ recent_sends: [], paused_until: null });
      expect(await row('robot:new-401')).toBeDefined();
    } finally {
      await other.rollbackTransaction();
      await other.release();
    }
  });

  it("gives a send outside the queue a place in its robot's window, and refuses it when the window is full", async () => {
    const bot = await givenBotOnOwnRobot(t, { store_id: 403, rate_limit_per_minute: 2 });
    const robot = await robotOf(bot.id);
    const first = clock.now();
    const granted = (stamp: number) => ({ granted: true, robotKey: robot, appKey: null, stamp });
    expect(await reserve(bot.id)).toEqual(granted(first));
    await clock.advance(10_000);
    expect(await reserve(bot.id)).toEqual(granted(first + 10_000));
    expect((await row(robot))?.recent_sends).toEqual([first, first + 10_000]);

    // Full: room again once the first send has left the minute (and the margin).
    expect(await reserve(bot.id)).toEqual({
      granted: false,
      reason: 'rate_window',
      retryAt: first + RATE_WINDOW_MS + MARGIN_MS + 1,
    });
    await clock.advance(RATE_WINDOW_MS + MARGIN_MS - 10_000 + 1);
    expect(await reserve(bot.id)).toEqual(granted(clock.now()));
    expect((await row(robot))?.recent_sends).toEqual([first + 10_000, clock.now()]);
  });

  // The pauses are written by the recording of a throttled answer (recording.repository.spec.ts).
  it("refuses a send while its robot is paused, and while its app's quota pauses all the app's bots", async () => {
    const bot = await givenBotOnOwnRobot(t, { store_id: 404 });
    const sibling = await givenBotOnOwnRobot(t, { store_id: 404 });
    for (const id of [bot.id, sibling.id]) {
      await db().query(`UPDATE ding_talk_bots SET app_key = 'app:quota-404' WHERE id = $1`, [id]);
    }
    const robot = await robotOf(bot.id);
    const now = clock.now();
    const pause = (key: string, ms: number) =>
      db().query(
        `INSERT INTO robot_rate_windows (robot_key, paused_until) VALUES ($1, $2)
         ON CONFLICT (robot_key) DO UPDATE SET paused_until = EXCLUDED.paused_until`,
        [key, new Date(now + ms)],
      );

    await pause(robot, 600_000);
    expect(await reserve(bot.id)).toEqual({
      granted: false,
      reason: 'throttled',
      retryAt: now + 600_000,
    });

    await pause('app:quota-404', 3_600_000);
    expect(await reserve(sibling.id)).toEqual({
      granted: false,
      reason: 'throttled',
      retryAt: now + 3_600_000,
    });
  });

  it('blocks every send of the cluster while DingTalk blocks the IP, the test button too, never shortening a longer block', async () => {
    const bot = await givenBotOnOwnRobot(t, { store_id: 405 });
    const now = clock.now();

    await db().transaction((manager) => windows().blockCluster(manager, { ms: 300_000, hint: 'ip blocked' }));
    await db().transaction((manager) => windows().blockCluster(manager, { ms: 1_000, hint: 'shorter' }));

    expect(await budget()).toEqual({ blocked_until: new Date(now + 300_000), block_hint: 'shorter' });
    expect(await reserve(bot.id)).toEqual({
      granted: false,
      reason: 'ip_blocked',
      retryAt: now + 300_000,
    });
  });

  it('charges the cluster one DingTalk call only for a send it grants: a refused one makes no call', async () => {
    const bot = await givenBotOnOwnRobot(t, { store_id: 406, rate_limit_per_minute: 1 });
    const tokens = async () =>
      Number((await db().query(`SELECT tokens FROM dingtalk_call_budget WHERE id = 1`))[0].tokens);
    const before = await tokens();
    expect(await reserve(bot.id)).toMatchObject({ granted: true });
    expect(await tokens()).toBe(before - 1);

    // The robot's window is full: no call is made, none is charged.
    expect(await reserve(bot.id)).toMatchObject({ granted: false, reason: 'rate_window' });
    expect(await tokens()).toBe(before - 1);

    // Nor while DingTalk blocks the IP.
    await db().transaction((manager) => windows().blockCluster(manager, { ms: 60_000, hint: 'ip blocked' }));
    expect(await reserve(bot.id)).toMatchObject({ granted: false, reason: 'ip_blocked' });
    expect(await tokens()).toBe(before - 1);
  });
});
