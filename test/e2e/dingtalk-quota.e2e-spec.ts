import { describe, expect, it } from 'vitest';
import { ManualClock } from '../support/clocks';
import { useTestApp } from '../support/use-test-app';
import { givenMenuReport, givenStreamBot } from '../support/given';

/**
 * The organisation's monthly API quota (docs/dingtalk/README.md, "Call limits"), as the simulator plays it: past it
 * the app's sends are answered 90020 until the next month in China time. A file of its own: the test moves the
 * clock a month, which no other test should live through.
 */
describe("DingTalk's monthly API quota, against the simulator", () => {
  // Late on the 29th in China time: the quota resets about a day later, well within DELIVERY_MAX_AGE_MS (after
  // which a waiting notification would fail as expired, paused or not).
  const clock = new ManualClock(Date.UTC(2026, 10, 29, 12, 0, 0));
  const { sim, t } = useTestApp({
    simulator: { stream: { redeliveryDelayMs: null } },
    clock,
    env: { DELIVERY_MAX_AGE_MS: String(7 * 86_400_000) },
  });

  const report = (storeId: number) =>
    givenMenuReport(t, { store_id: storeId, dish_name: '酸辣土豆丝', quantity: 4 });
  const detail = async (id: number) => (await t.request('GET', `/api/v1/notifications/${id}`)).body.data;
  const settle = clock.settle.bind(clock);

  it('pauses an app whose organisation used up its monthly API quota until the next month, spending no attempt', async () => {
    const app = sim.state.registerApp({ monthlyQuota: 2 });
    const bot = await givenStreamBot(t, app, { store_id: 56, user_ids: ['chef01'] });
    const delivered = () =>
      sim.state.received({ channel: 'work_notification', clientId: app.clientId }).length;
    await report(56);
    await report(56);
    await settle(() => delivered() === 2, 'the two reports within the quota');

    const over = await report(56);
    const id = over.notifications[0].id;
    await settle(async () => (await detail(id)).attempts.length === 1, 'the attempt over the quota');
    const held = await detail(id);
    expect(held).toMatchObject({ status: 'pending', attempt_count: 0 });
    expect(held.attempts[0]).toMatchObject({ outcome: 'throttled', errcode: 90020 });
    const waiting = await report(56);

    // Reset: the first moment of next month in China time (UTC+8).
    const china = new Date(clock.now() + 8 * 3_600_000);
    const nextMonth = Date.UTC(china.getUTCFullYear(), china.getUTCMonth() + 1, 1) - 8 * 3_600_000;
    const status = (await t.request('GET', `/api/v1/dingtalk-bots/${bot.id}/status`)).body.data;
    expect(Date.parse(status.rate_limited_until)).toBe(nextMonth);
    expect(status.pause_hint).toMatch(/monthly DingTalk API quota is used up/);
    expect(status.pending_notifications).toBe(2);

    // Minutes later nothing has been tried again: no attempt spent, nothing failed.
    await clock.advance(3 * 60_000);
    expect((await detail(id)).attempts).toHaveLength(1);
    expect((await detail(waiting.notifications[0].id)).attempts).toEqual([]);

    clock.set(nextMonth + 1_000);
    await clock.advance(10_000);
    await settle(
      async () =>
        (await detail(id)).status === 'sent' && (await detail(waiting.notifications[0].id)).status === 'sent',
      'both reports once the quota reset',
    );
    expect(delivered()).toBe(4);
    expect((await detail(id)).attempt_count).toBe(1);
  });
});
