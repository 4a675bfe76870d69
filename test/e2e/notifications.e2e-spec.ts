import { describe, expect, it } from 'vitest';
import { jitterBounds, THROTTLE_PAUSE_MS } from '../../src/notify/delivery/retry-policy';
import { ManualClock } from '../support/clocks';
import { waitForValue } from '../support/wait-for';
import { useTestApp } from '../support/use-test-app';
import { givenMenuReport, givenWebhookBot, robotWebhook, givenRobotAnswers } from '../support/given';

const SCHEDULE_MS = [10_000, 60_000, 300_000];

/**
 * The delivery log API and the timing of retries, with a clock that only moves when the test moves it
 * (shared by the service and the simulator): every attempt happens at an instant the test can name.
 */
describe('notifications API and retry timing', () => {
  const clock = new ManualClock(Date.now());
  const { sim, t } = useTestApp({ simulator: true, clock, env: { DELIVERY_RETRY_SCHEDULE: '10s,1m,5m' } });

  const webhookBot = async (storeId: number, keywords: string[] = []) => {
    const robot = sim.state.registerRobot({ keywords });
    const bot = await givenWebhookBot(t, {
      name: 'bot',
      store_id: storeId,
      webhook: robotWebhook(sim, robot),
    });
    return { robot, bot };
  };
  const report = (storeId: number) =>
    givenMenuReport(t, { store_id: storeId, dish_name: '麻婆豆腐', quantity: 3 });
  const detail = async (id: number) => {
    const response = await t.request('GET', `/api/v1/notifications/${id}`);
    expect(response.status).toBe(200);
    return response.body.data;
  };
  const settle = clock.settle.bind(clock);

  it('retries on the configured schedule with jitter, each attempt at the moment it fell due', async () => {
    const { robot } = await webhookBot(41);
    sim.state.addFault({ path: '/robot/send', mode: 'http_500', remaining: 3 });
    const created = await report(41);
    const id = created.notifications[0].id;

    for (let attempt = 1; attempt <= SCHEDULE_MS.length; attempt++) {
      const current = await waitForValue(async () => {
        await clock.advance(0);
        const row = await detail(id);
        return row.attempts.length === attempt ? row : undefined;
      }, `attempt ${attempt}`);
      expect(current.status).toBe('retrying');
      expect(current.attempt_count).toBe(attempt);
      const last = current.attempts[attempt - 1];
      expect(last).toMatchObject({ outcome: 'transient', http_status: 500 });
      const wait = Date.parse(current.next_attempt_at) - Date.parse(last.at);
      const [low, high] = jitterBounds(SCHEDULE_MS[attempt - 1]);
      expect(wait).toBeGreaterThanOrEqual(low);
      expect(wait).toBeLessThanOrEqual(high);
      await clock.advance(Date.parse(current.next_attempt_at) - clock.now());
      // The next attempt happens exactly when it is due, not before.
      await settle(async () => (await detail(id)).attempts.length === attempt + 1, `attempt ${attempt + 1}`);
      expect((await detail(id)).attempts[attempt].at).toBe(current.next_attempt_at);
    }
    const done = await detail(id);
    expect(done).toMatchObject({ status: 'sent', attempt_count: 4, hint: null, last_error: null });
    expect(sim.state.received({ target: robot.token, accepted: true })).toHaveLength(1);
  });

  it('holds a throttled bot for 10 minutes, then sends without having spent an attempt', async () => {
    const { robot, bot } = await webhookBot(42);
    givenRobotAnswers(sim, 410100, 'send too fast');
    const first = await report(42);
    const id = first.notifications[0].id;
    await settle(async () => (await detail(id)).attempts.length === 1, 'the throttled attempt');
    const paused = await detail(id);
    expect(paused).toMatchObject({ status: 'pending', attempt_count: 0 });
    const status = (await t.request('GET', `/api/v1/dingtalk-bots/${bot.id}/status`)).body.data;
    // The robot's pause runs on the database's clock (a few milliseconds from the attempt's).
    const pausedUntil = Date.parse(status.rate_limited_until);
    expect(pausedUntil).toBeGreaterThanOrEqual(Date.parse(paused.attempts[0].at) + THROTTLE_PAUSE_MS);
    expect(pausedUntil).toBeLessThan(Date.parse(paused.attempts[0].at) + THROTTLE_PAUSE_MS + 1_000);
    expect(status).toMatchObject({ last_delivery_status: 'throttled', pending_notifications: 1 });

    // A second report waits behind the pause too, and both leave, oldest first, once it is over.
    const second = await report(42);
    await clock.advance(THROTTLE_PAUSE_MS - 1_000);
    expect(sim.state.received({ target: robot.token, accepted: true })).toHaveLength(0);
    await clock.advance(1_000);
    await settle(
      () => sim.state.received({ target: robot.token, accepted: true }).length === 2,
      'both reports after the pause',
    );
    const texts = sim.state.received({ target: robot.token, accepted: true }).map((m) => m.text ?? '');
    expect(texts[0]).toContain(`#${first.id}`);
    expect(texts[1]).toContain(`#${second.id}`);
    expect(await detail(id)).toMatchObject({ status: 'sent', attempt_count: 1 });
  });

  it('lists with filters, shows attempts, and resends a failed notification', async () => {
    const { robot, bot } = await webhookBot(43, ['紧急']);
    const created = await report(43);
    const id = created.notifications[0].id;
    await settle(async () => (await detail(id)).status === 'failed', 'the permanent failure');
    const failed = await detail(id);
    expect(failed.hint).toMatch(/keyword/);
    expect(failed.attempts).toEqual([
      {
        at: expect.any(String),
        outcome: 'permanent',
        http_status: 200,
        errcode: 310000,
        error_code: null,
        errmsg: expect.stringMatching(/^keywords not in content/),
        latency_ms: expect.any(Number),
      },
    ]);

    const listed = await t.request('GET', `/api/v1/notifications?store_id=43&status=failed&bot_id=${bot.id}`);
    expect(listed.body.data).toMatchObject({ total: 1, page: 1, page_size: 20 });
    expect(listed.body.data.items[0]).toMatchObject({ id, menu_report_id: created.id, status: 'failed' });
    const byReport = await t.request('GET', `/api/v1/notifications?menu_report_id=${created.id}`);
    expect(byReport.body.data.items.map((n: { id: number }) => n.id)).toEqual([id]);
    const none = await t.request('GET', `/api/v1/notifications?store_id=43&status=sent`);
    expect(none.body.data.total).toBe(0);
    expect((await t.request('GET', '/api/v1/notifications?status=lost')).status).toBe(400);

    robot.keywords = ['报菜'];
    const resent = await t.request('POST', `/api/v1/notifications/${id}/resend`);
    expect(resent.status).toBe(200);
    expect(resent.body.data).toMatchObject({ status: 'pending', attempt_count: 0, hint: null });
    await settle(async () => (await detail(id)).status === 'sent', 'the resent notification');
    const sent = await detail(id);
    expect(sent.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['permanent', 'ok']);
    expect(sim.state.received({ target: robot.token, accepted: true })).toHaveLength(1);
  });

  it('refuses to resend a notification whose bot was deleted, with a 409 that says so (found by the fuzz)', async () => {
    const { bot } = await webhookBot(46);
    const id = (await report(46)).notifications[0].id;
    await settle(async () => (await detail(id)).status === 'sent', 'the first send');
    expect((await t.request('DELETE', `/api/v1/dingtalk-bots/${bot.id}`)).status).toBe(200);
    const resent = await t.request('POST', `/api/v1/notifications/${id}/resend`);
    expect(resent.status, resent.text).toBe(409);
    expect(resent.body.msg).toBe(`Notification ${id} cannot be sent again: its bot ${bot.id} was deleted`);
  });

  it('scopes notifications to the stores of a store_admin: others are 404, lists are filtered', async () => {
    await webhookBot(44);
    await webhookBot(45);
    const mine = await report(44);
    const theirs = await report(45);
    const token = t.token({ sub: 'manager-44', role: 'store_admin', store_ids: [44] });

    const list = await t.request('GET', '/api/v1/notifications?page_size=100', { token });
    expect(list.status).toBe(200);
    expect(list.body.data.items.map((n: { store_id: number }) => n.store_id)).toEqual([44]);
    expect(list.body.data.total).toBe(1);
    const other = await t.request('GET', '/api/v1/notifications?store_id=45', { token });
    expect(other.body.data).toMatchObject({ items: [], total: 0 });

    const own = mine.notifications[0].id;
    const hidden = theirs.notifications[0].id;
    expect((await t.request('GET', `/api/v1/notifications/${own}`, { token })).status).toBe(200);
    expect((await t.request('GET', `/api/v1/notifications/${hidden}`, { token })).status).toBe(404);
    expect((await t.request('POST', `/api/v1/notifications/${hidden}/resend`, { token })).status).toBe(404);
    expect((await t.request('GET', '/api/v1/notifications/999999', { token })).status).toBe(404);
    expect((await t.request('GET', '/api/v1/notifications', { token: null })).status).toBe(401);
  });

  it('exposes the delivery metrics the README lists under Operations', async () => {
    const metrics = await fetch(`${t.url}/metrics`).then((response) => response.text());
    expect(metrics).toMatch(
      /dingtalk_message_sent_total\{type="webhook",bot_type="webhook",kind="menu_report",status="success"\} \d+/,
    );
    expect(metrics).toMatch(
      /dingtalk_message_sent_total\{type="webhook",bot_type="webhook",kind="menu_report",status="failure"\} \d+/,
    );
    expect(metrics).toMatch(/^dingtalk_notifications_pending \d+$/m);
    expect(metrics).toMatch(/^dingtalk_notification_oldest_pending_seconds [\d.e+-]+$/m);
    expect(metrics).toMatch(
      /dingtalk_send_duration_seconds_bucket\{le="0.1",type="webhook",bot_type="webhook"\} \d+/,
    );
  });
});
