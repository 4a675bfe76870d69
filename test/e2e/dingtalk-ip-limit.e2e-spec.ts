import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/clocks';
import { TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { givenMenuReport, givenWebhookBot, robotWebhook } from '../support/given';
import { useSimulator, useTestApp } from '../support/use-test-app';

/**
 * DingTalk's ceiling per source IP (docs/dingtalk/README.md, "Call limits": 10,000 calls in 20 s, then a 5-minute
 * block), played by the simulator as a standing limit set low: the service's cluster-wide budget of DingTalk calls
 * keeps under it, and a block answer stops every send until the block is over.
 */
describe('DingTalk per-IP limit', () => {
  const clock = new ManualClock(Date.now());
  const sim = useSimulator({ clock });

  /** `count` webhook bots of one store, each on a robot of its own: one report is `count` DingTalk calls. */
  const botsOfStore = async (t: TestApp, storeId: number, count: number) => {
    const tokens: string[] = [];
    for (let i = 0; i < count; i++) {
      const robot = sim.state.registerRobot({});
      tokens.push(robot.token);
      await givenWebhookBot(t, { name: `bot ${i}`, store_id: storeId, webhook: robotWebhook(sim, robot) });
    }
    return tokens;
  };
  const report = (t: TestApp, storeId: number) =>
    givenMenuReport(t, { store_id: storeId, dish_name: '麻婆豆腐', quantity: 2 });
  const sentCount = async (t: TestApp, reportId: number) => {
    const [row]: Array<{ sent: number }> = await t.app
      .get(DataSource)
      .query(
        `SELECT count(*)::int AS sent FROM notifications WHERE menu_report_id = $1 AND status = 'sent'`,
        [reportId],
      );
    return row.sent;
  };
  /** The most calls the simulator saw in any `windowMs` (its own clock). */
  const busiestWindow = (arrivals: readonly number[], windowMs: number) => {
    const sorted = [...arrivals].sort((a, b) => a - b);
    let busiest = 0;
    for (let i = 0, j = 0; i < sorted.length; i++) {
      while (j + 1 < sorted.length && sorted[j + 1] - sorted[i] < windowMs) j++;
      busiest = Math.max(busiest, j - i + 1);
    }
    return busiest;
  };

  describe('with a budget below the ceiling', () => {
    afterAll(() => sim.state.ipLimit.reset());
    const { t } = useTestApp({ clock, env: () => ({ ...sim.env, DINGTALK_CALL_BUDGET_PER_SECOND: '1' }) });

    it('never exceeds the budget over a burst, so DingTalk never blocks the IP, and delivers everything', async () => {
      sim.state.ipLimit.set({ windowMs: 20_000, maxCalls: 25, blockMs: 300_000, answer: 'json' });
      const tokens = await botsOfStore(t, 71, 40);
      const created = await report(t, 71);
      expect(created.notifications).toHaveLength(40);
      // Time moves a second at a time; the service sends as its budget (1 a second, 1 deep) refills.
      for (let step = 0; step < 300 && (await sentCount(t, created.id)) < 40; step++) {
        await clock.advance(1_000);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await waitFor(async () => (await sentCount(t, created.id)) === 40, 'all 40 sends');
      const { passed, blocked } = sim.state.ipLimit.log;
      expect(blocked).toEqual([]);
      expect(passed).toHaveLength(40);
      // 1 a second over 20 s, plus the one the full bucket holds.
      expect(busiestWindow(passed, 20_000)).toBeLessThanOrEqual(21);
      for (const token of tokens)
        expect(sim.state.received({ target: token, accepted: true })).toHaveLength(1);
    }, 120_000);
  });

  describe.each(['json', 'html'] as const)('after a block answer (%s)', (answer) => {
    const BLOCK_MS = 120_000;
    beforeAll(() => sim.state.ipLimit.reset());
    afterAll(() => sim.state.ipLimit.reset());
    const { t } = useTestApp({
      clock,
      env: () => ({ ...sim.env, DINGTALK_IP_BLOCK_PAUSE_MS: String(BLOCK_MS) }),
    });

    it('sends nothing from any bot until the block is over, spends no attempt, then delivers everything', async () => {
      const store = answer === 'json' ? 72 : 73;
      sim.state.ipLimit.set({ windowMs: 20_000, maxCalls: 10, blockMs: BLOCK_MS, answer });
      const tokens = await botsOfStore(t, store, 30);
      const blockedAt = clock.now();
      const created = await report(t, store);
      await waitFor(() => sim.state.ipLimit.log.blocked.length === 20, 'the 20 calls past the ceiling');
      await waitFor(async () => {
        const [row]: Array<{ n: number }> = await t.app
          .get(DataSource)
          .query(`SELECT count(*)::int AS n FROM notification_attempts WHERE outcome = 'throttled'`);
        return row.n === 20;
      }, 'the 20 blocked attempts recorded');
      expect(await sentCount(t, created.id)).toBe(10);

      const [pending]: Array<{ id: string; bot_id: number }> = await t.app
        .get(DataSource)
        .query(
          `SELECT id, bot_id FROM notifications WHERE menu_report_id = $1 AND status = 'pending' LIMIT 1`,
          [created.id],
        );
      const waiting = (await t.request('GET', `/api/v1/notifications/${pending.id}`)).body.data;
      expect(waiting).toMatchObject({ status: 'pending', attempt_count: 0 });
      const status = (await t.request('GET', `/api/v1/dingtalk-bots/${pending.bot_id}/status`)).body.data;
      expect(Date.parse(status.rate_limited_until)).toBeGreaterThanOrEqual(blockedAt + BLOCK_MS);
      expect(status.pause_hint).toMatch(/blocked this server's IP address/);

      // A bot that had nothing to do with it waits too: the whole IP is blocked.
      const [bystander] = await botsOfStore(t, store + 10, 1);
      const later = await report(t, store + 10);
      await clock.advance(10_000);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(sim.state.received({ target: bystander })).toEqual([]);

      // The ceiling goes (the block itself still runs its course): nothing is sent before the block ends.
      sim.state.ipLimit.set(null);
      await clock.advance(BLOCK_MS - 11_000);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const calls = () => [...sim.state.ipLimit.log.passed, ...sim.state.ipLimit.log.blocked];
      expect(calls().every((at) => at === blockedAt)).toBe(true);

      await clock.advance(2_000);
      await waitFor(async () => {
        await clock.advance(0);
        return (await sentCount(t, created.id)) === 30 && (await sentCount(t, later.id)) === 1;
      }, 'all 31 sends after the block');
      expect(
        calls()
          .filter((at) => at > blockedAt)
          .every((at) => at >= blockedAt + BLOCK_MS),
      ).toBe(true);
      for (const token of tokens)
        expect(sim.state.received({ target: token, accepted: true })).toHaveLength(1);
    }, 120_000);
  });
});
