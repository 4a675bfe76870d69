import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { Simulator } from '../../simulator/simulator';
import { ManualClock } from '../support/clocks';
import { TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { useTestAppPerTest } from '../support/use-test-app';
import { robotWebhook, givenWebhookBot, givenRobotAnswers } from '../support/given';

const DAY_MS = 24 * 3_600_000;

/**
 * Nothing waits forever: a notification still waiting DELIVERY_MAX_AGE_MS (24 h) after it was queued is failed as
 * expired — also one whose bot DingTalk throttles again and again (a throttle spends no attempt) — but never one
 * whose send is in flight.
 */
describe('notification expiry', () => {
  /** Each test starts its own simulator and application (another configuration, another clock), closed after it. */
  const start = useTestAppPerTest();
  let sim: Simulator | undefined;
  let t: TestApp | undefined;

  it('fails a notification still waiting 24 h after it was queued as expired, never one being sent', async () => {
    const clock = new ManualClock();
    // The longest throttle pause: the bots are tried again every hour, and throttled each time.
    ({ sim, t } = await start({ simulator: true, clock, env: { DELIVERY_THROTTLE_PAUSE_MS: '3600000' } }));
    const app = t;
    givenRobotAnswers(sim, 410100, 'send too fast', { probability: 1 });
    for (const name of ['甲', '乙']) {
      const robot = sim.state.registerRobot({ name });
      await givenWebhookBot(app, { name, store_id: 61, msg_type: 'text', webhook: robotWebhook(sim, robot) });
    }
    const posted = await app.request('POST', '/api/v1/menu-reports', {
      body: { store_id: 61, dish_name: '鱼', quantity: 1, unit: '份' },
    });
    expect(posted.status).toBe(201);
    const [a, b] = (posted.body.data.notifications as Array<{ id: number }>).map((row) => row.id);
    const detail = async (id: number) =>
      (await app.request('GET', `/api/v1/notifications/${id}`)).body.data as {
        status: string;
        attempt_count: number;
        last_error: string | null;
        hint: string | null;
        attempts: Array<{ outcome: string }>;
      };
    /** The expiry job runs every minute: time moves a minute at a time until the notification has failed. */
    const minuteByMinuteUntilFailed = (id: number, what: string) =>
      waitFor(
        async () => {
          await clock.advance(60_000);
          return (await detail(id)).status === 'failed';
        },
        what,
        30_000,
      );
    await waitFor(
      async () => (await detail(a)).attempts.length > 0 && (await detail(b)).attempts.length > 0,
      'both bots to be throttled',
    );
    // Another instance is sending b: its lease holds (by the database's clock).
    const db = app.app.get(DataSource);
    await db.query(
      `UPDATE notifications SET lease_owner = 'elsewhere', lease_expires_at = now() + interval '1 hour',
                                claim = nextval('notification_claims')
       WHERE id = $1`,
      [b],
    );
    const expiredTotal = async () =>
      Number(
        /^dingtalk_notifications_expired_total (\d+)$/m.exec(
          await fetch(`${app.url}/metrics`).then((response) => response.text()),
        )?.[1],
      );
    expect(await expiredTotal()).toBe(0);

    await clock.advance(DAY_MS - 60_000);
    expect((await detail(a)).status).toBe('pending');
    await minuteByMinuteUntilFailed(a, 'the notification to expire');
    const expired = await detail(a);
    expect(expired).toMatchObject({ status: 'failed', attempt_count: 0, last_error: 'expired' });
    expect(expired.hint).toMatch(/Not sent within 24 h of being queued \(DELIVERY_MAX_AGE_MS\)/);
    expect(expired.attempts.length).toBeGreaterThan(0);
    expect(expired.attempts.every((attempt) => attempt.outcome === 'throttled')).toBe(true);
    // The one being sent is left to its send.
    expect((await detail(b)).status).toBe('pending');
    expect(app.logs.find('Expired 1 notifications still waiting 24 h after they were queued')).toHaveLength(
      1,
    );
    expect(await expiredTotal()).toBe(1);

    // Its send ends without a result (the instance died): once the lease has run out, it expires too.
    await db.query(`UPDATE notifications SET lease_expires_at = now() - interval '1 second' WHERE id = $1`, [
      b,
    ]);
    await minuteByMinuteUntilFailed(b, 'the other notification to expire');
    expect(await expiredTotal()).toBe(2);
  }, 120_000);

  it('counts a resent notification from its resend, not from when it was first written', async () => {
    const clock = new ManualClock();
    ({ sim, t } = await start({ simulator: true, clock }));
    const app = t;
    const robot = sim.state.registerRobot();
    await givenWebhookBot(app, {
      name: 'r',
      store_id: 62,
      msg_type: 'text',
      webhook: robotWebhook(sim, robot),
    });
    givenRobotAnswers(sim, 300005, 'token is not exist');
    const posted = await app.request('POST', '/api/v1/menu-reports', {
      body: { store_id: 62, dish_name: '汤', quantity: 1, unit: '份' },
    });
    const id = (posted.body.data.notifications as Array<{ id: number }>)[0].id;
    const status = async () =>
      (await app.request('GET', `/api/v1/notifications/${id}`)).body.data.status as string;
    await waitFor(async () => (await status()) === 'failed', 'the refusal');
    // Two days later the operator fixed the robot and resends. DingTalk throttles the resend: it waits 10 minutes,
    // while the expiry job runs every minute, and then goes out. Its age counts from the resend.
    await clock.advance(2 * DAY_MS);
    sim.state.faults = [];
    givenRobotAnswers(sim, 410100, 'send too fast');
    const resent = await app.request('POST', `/api/v1/notifications/${id}/resend`);
    expect(resent.status).toBe(200);
    await waitFor(
      async () => (await app.request('GET', `/api/v1/notifications/${id}`)).body.data.attempts.length === 2,
      'the throttled resend',
    );
    for (let minute = 0; minute < 11; minute++) await clock.advance(60_000);
    await waitFor(async () => {
      await clock.advance(0);
      return (await status()) === 'sent';
    }, 'the resend to be sent');
    expect(sim.state.received({ target: robot.token, accepted: true })).toHaveLength(1);
  });
});
