import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../support/clocks';
import { claimDue } from '../support/delivery-queue';
import { givenRobotAnswers, givenWebhookBot, robotWebhook } from '../support/given';
import { useTestApp } from '../support/use-test-app';
import { NotificationOutbox } from '../../src/notify/notification-outbox';
import { DeliveryQueue } from '../../src/notify/delivery/queue/delivery-queue';

/**
 * The test button takes the road of every message (src/notify/delivery/test-send.service.ts): written through the
 * outbox as a notification of kind `test`, claimed, sent and recorded within the click. It is in the delivery log,
 * tried once, and never sent by the queue, not even when the click could not record it.
 */
describe('the test button in the delivery log', () => {
  const clock = new ManualClock(Date.now());
  const { sim, t } = useTestApp({ simulator: true, clock, env: { DELIVERY_RETRY_SCHEDULE: '1s,1s' } });

  const press = (botId: number) => t.request('POST', `/api/v1/dingtalk-bots/${botId}/test`);
  const testsOf = async (botId: number) =>
    (await t.request('GET', `/api/v1/notifications?kind=test&bot_id=${botId}`)).body.data.items as Array<{
      id: number;
      kind: string;
      status: string;
      title: string;
      attempt_count: number;
      hint: string | null;
    }>;
  const detail = async (id: number) => (await t.request('GET', `/api/v1/notifications/${id}`)).body.data;

  it('logs a click as a notification of kind test, sent, with its one attempt', async () => {
    const robot = sim.state.registerRobot();
    const bot = await givenWebhookBot(t, { store_id: 71, webhook: robotWebhook(sim, robot) });
    const pressed = await press(bot.id);
    expect(pressed.status, pressed.text).toBe(200);
    expect(pressed.body.data).toMatchObject({ ok: true, errcode: 0 });

    const [logged] = await testsOf(bot.id);
    expect(logged).toMatchObject({ kind: 'test', status: 'sent', title: '报菜通知测试', attempt_count: 1 });
    expect((await detail(logged.id)).attempts).toEqual([
      expect.objectContaining({ outcome: 'ok', errcode: 0, http_status: 200 }),
    ]);
  });

  it('tries a failing click once: failed with the hint, never retried by the queue, never resent', async () => {
    const robot = sim.state.registerRobot();
    const bot = await givenWebhookBot(t, { store_id: 72, webhook: robotWebhook(sim, robot) });
    sim.state.addFault({ path: '/robot/send', mode: 'http_500', remaining: 1 });
    const pressed = await press(bot.id);
    expect(pressed.status, pressed.text).toBe(200);
    expect(pressed.body.data).toMatchObject({ ok: false });

    const [logged] = await testsOf(bot.id);
    expect(logged).toMatchObject({ status: 'failed', attempt_count: 1, hint: pressed.body.data.hint });
    // Well past the retry schedule, the robot answering again: the queue does not send it again.
    await clock.advance(10_000);
    await clock.settle(() => true, 'the queue');
    expect(sim.state.received({ target: robot.token, accepted: true })).toEqual([]);

    const resent = await t.request('POST', `/api/v1/notifications/${logged.id}/resend`);
    expect(resent.status, resent.text).toBe(409);
    expect(resent.body.msg).toMatch(/test message.*test button/);
  });

  it('logs nothing for a click the robot cannot take now (429)', async () => {
    const robot = sim.state.registerRobot();
    const bot = await givenWebhookBot(t, {
      store_id: 73,
      webhook: robotWebhook(sim, robot),
      rate_limit_per_minute: 1,
    });
    expect((await press(bot.id)).status).toBe(200);
    expect((await press(bot.id)).status).toBe(429);
    expect(await testsOf(bot.id)).toHaveLength(1);
  });

  it('pauses the robot for the queue too when DingTalk throttles a click', async () => {
    const robot = sim.state.registerRobot();
    const bot = await givenWebhookBot(t, { store_id: 74, webhook: robotWebhook(sim, robot) });
    givenRobotAnswers(sim, 410100, 'send too fast');
    expect((await press(bot.id)).body.data).toMatchObject({ ok: false, errcode: 410100 });
    const [logged] = await testsOf(bot.id);
    expect(logged).toMatchObject({ status: 'failed', attempt_count: 1 });
    const status = (await t.request('GET', `/api/v1/dingtalk-bots/${bot.id}/status`)).body.data;
    expect(Date.parse(status.rate_limited_until)).toBeGreaterThan(clock.now() + 9 * 60_000);
  });

  it('skips a test message whose click never recorded it (the service stopped), and never sends it', async () => {
    const robot = sim.state.registerRobot();
    const bot = await givenWebhookBot(t, { store_id: 75, webhook: robotWebhook(sim, robot) });
    const db = t.app.get(DataSource);
    // A click that wrote its message and stopped before sending it: its lease ran out (the database's clock).
    const { id } = await db.transaction((manager) =>
      t.app.get(NotificationOutbox).enqueueClaimed(
        manager,
        {
          botId: bot.id,
          storeId: 75,
          menuReportId: null,
          kind: 'test',
          status: 'pending',
          hint: null,
          msgType: 'text',
          title: '报菜通知测试',
          content: '报菜通知测试',
          atMobiles: [],
          atUserIds: [],
          atAll: false,
          partOf: null,
        },
        { owner: 'a-stopped-instance:test', ms: 1 },
      ),
    );
    await db.query(`UPDATE notifications SET lease_expires_at = now() - interval '1 second' WHERE id = $1`, [
      id,
    ]);
    // Due, and its bot due: a claim still does not take it.
    await db.query(
      `INSERT INTO bot_delivery_states (bot_id, next_due_at) VALUES ($1, $2)
       ON CONFLICT (bot_id) DO UPDATE SET next_due_at = EXCLUDED.next_due_at`,
      [bot.id, new Date(clock.now())],
    );
    expect(await claimDue(t, [bot.id], { now: clock.now() + 1_000 })).toEqual([]);
    expect((await detail(Number(id))).status).toBe('pending');

    // The sweep gives it up, saying why.
    await t.app.get(DeliveryQueue).sweep(clock.now());
    expect(await detail(Number(id))).toMatchObject({
      status: 'skipped',
      hint: expect.stringMatching(/press the test button again/),
    });
    await clock.advance(10_000);
    await clock.settle(() => true, 'the queue');
    expect(sim.state.received({ target: robot.token })).toEqual([]);
  });
});
