import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { Simulator } from '../../simulator/simulator';
import { DeliveryQueue } from '../../src/notify/delivery/queue/delivery-queue';
import { ManualClock, ScaledClock } from '../support/clocks';
import { TestApp } from '../support/test-app';
import {
  DELIVERY_LEASE_RENEWAL,
  DELIVERY_SWEEP,
} from '../../src/notify/delivery/dispatcher/notification-dispatcher';
import { SchedulerRegistry } from '@nestjs/schedule';
import { busiestMinute, deliveredReportNotifications } from '../support/delivery-checks';
import { waitFor } from '../support/wait-for';
import { useTestAppPerTest } from '../support/use-test-app';
import {
  BotFields,
  givenMenuReport,
  givenWebhookBot,
  robotWebhook,
  givenRobotAnswers,
  signedRobotFields,
} from '../support/given';

/**
 * The delivery pipeline's promises that speed must not break: no busy loop while a send is in flight, a slow send
 * keeps its lease, the test button counts in the bot's rate window, and batching keeps every bot within its limit.
 */
describe('delivery pipeline', () => {
  /** Each test starts its own simulator and application (another configuration, another clock), closed after it. */
  const start = useTestAppPerTest();
  let sim: Simulator | undefined;
  let t: TestApp | undefined;

  const createBot = (app: TestApp, body: BotFields) => givenWebhookBot(app, { msg_type: 'text', ...body });
  const report = (app: TestApp, storeId: number, dish: string) =>
    givenMenuReport(app, { store_id: storeId, dish_name: dish });
  const statusOf = async (app: TestApp, id: number) =>
    (await app.request('GET', `/api/v1/notifications/${id}`)).body.data as {
      status: string;
      attempts: Array<{ outcome: string }>;
    };

  it('does not spin while a bot has a send in flight and more waiting: a few rounds, not hundreds', async () => {
    ({ sim, t } = await start({
      simulator: true,
      env: { DINGTALK_TIMEOUT_MS: '1500', DELIVERY_RETRY_SCHEDULE: '100ms' },
    }));
    const robot = sim.state.registerRobot();
    await createBot(t, { store_id: 41, webhook: robotWebhook(sim, robot) });
    // The first send hangs until the service gives up (1.5 s); two more reports wait behind it.
    sim.state.addFault({ path: '/robot/send', mode: 'timeout', remaining: 1 });
    const queue = t.app.get(DeliveryQueue);
    let rounds = 0;
    const cycle = queue.cycle.bind(queue);
    queue.cycle = (request) => {
      rounds += 1;
      return cycle(request);
    };
    const reports = [await report(t, 41, '一'), await report(t, 41, '二'), await report(t, 41, '三')];
    const ids = reports.map((created) => created.notifications[0].id);
    await waitFor(async () => (await statusOf(t!, ids[0])).attempts.length >= 1, 'the hanging send to end');
    const roundsDuringTheHang = rounds;
    await waitFor(
      async () =>
        (await Promise.all(ids.map((id) => statusOf(t!, id)))).every((row) => row.status === 'sent'),
      'all three sent',
    );
    // Woken by each report, by the hung send's end, and by its retry: a handful of rounds. A loop that re-armed at
    // 0 ms while the bot was busy ran hundreds in the same 1.5 s.
    expect(roundsDuringTheHang).toBeLessThan(20);
    // Each once. (The first one's retry may go after the others: a retry waits, newer messages do not.)
    const dishes = sim.state
      .received({ target: robot.token })
      .map((message) => message.text?.match(/菜品：(.)/)?.[1]);
    expect(dishes.sort()).toEqual(['一', '三', '二'].sort());
  });

  it('renews the lease of a send that outlasts it, so the notification is neither taken over nor sent twice', async () => {
    // A lease of 1.2 s: the send's local deadline falls a quarter before its end, 0.9 s after the last renewal,
    // while the robot holds the send for the full 3 s timeout. Only the renewals (every 0.3 s) carry the send to
    // its end; without them it would be stopped.
    ({ sim, t } = await start({
      simulator: true,
      env: { DINGTALK_TIMEOUT_MS: '3000', DELIVERY_LEASE_MS: '1200', DELIVERY_RETRY_SCHEDULE: '1s' },
    }));
    const robot = sim.state.registerRobot();
    await createBot(t, { store_id: 42, webhook: robotWebhook(sim, robot) });
    sim.state.addFault({ path: '/robot/send', mode: 'timeout', remaining: 1 });
    const created = await report(t, 42, '慢');
    const id = created.notifications[0].id;
    const db = t.app.get(DataSource);
    const leaseOf = async () =>
      (await db.query(`SELECT lease_owner, lease_expires_at FROM notifications WHERE id = $1`, [id]))[0] as {
        lease_owner: string | null;
        lease_expires_at: Date | null;
      };
    await waitFor(async () => (await leaseOf()).lease_owner !== null, 'the send to start');
    // The lease's end (the database's clock) moves on while the send hangs: renewed, again and again.
    const ends = new Set<number>();
    await waitFor(async () => {
      const now = await leaseOf();
      if (now.lease_owner !== null) ends.add(now.lease_expires_at!.getTime());
      return ends.size >= 3;
    }, 'the lease to be renewed twice over');
    expect((await statusOf(t, id)).attempts).toEqual([]);
    // The renewal (and the safety-net sweep) are jobs of @nestjs/schedule's registry, run on the Clock.
    expect(t.app.get(SchedulerRegistry).getIntervals()).toEqual(
      expect.arrayContaining([DELIVERY_LEASE_RENEWAL, DELIVERY_SWEEP]),
    );
    await waitFor(async () => (await statusOf(t!, id)).status === 'sent', 'the retry to be sent');
    const attempts = (await statusOf(t, id)).attempts as Array<{ outcome: string; errmsg: string | null }>;
    expect(attempts.map((attempt) => attempt.outcome)).toEqual(['transient', 'ok']);
    // The first send ended at the robot's timeout, not at its local deadline.
    expect(attempts[0].errmsg).not.toMatch(/lease/);
    expect(sim.state.received({ target: robot.token })).toHaveLength(1);
  });

  it('counts the test button in the bot rate window: at the limit it answers 429 with Retry-After, and so does a throttled bot', async () => {
    const clock = new ManualClock();
    ({ sim, t } = await start({ simulator: true, clock }));
    const robot = sim.state.registerRobot();
    const bot = await createBot(t, {
      store_id: 43,
      webhook: robotWebhook(sim, robot),
      rate_limit_per_minute: 2,
    });
    const press = () => t!.request('POST', `/api/v1/dingtalk-bots/${bot.id}/test`);
    expect((await press()).status).toBe(200);
    expect((await press()).status).toBe(200);
    const third = await press();
    expect(third.status).toBe(429);
    expect(third.body).toMatchObject({
      code: 429,
      msg: expect.stringMatching(/rate_limit_per_minute.*Try again in \d+ s/),
    });
    const retryAfter = Number(third.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(55);
    expect(retryAfter).toBeLessThanOrEqual(62 + 2);
    expect(sim.state.received({ target: robot.token })).toHaveLength(2);

    // The two test messages fill the queue's window too: a report waits for it to move on.
    const created = await report(t, 43, '等');
    const id = created.notifications[0].id;
    await clock.advance(1_000);
    expect((await statusOf(t, id)).status).toBe('pending');
    await clock.advance(retryAfter * 1000);
    await waitFor(
      async () => (await statusOf(t!, id)).status === 'sent',
      'the report once the window moved on',
    );

    // DingTalk throttles the next test: the bot is paused, the test button says so and when it may try again.
    await clock.advance(61_000);
    givenRobotAnswers(sim, 410100, 'send too fast');
    const throttled = await press();
    expect(throttled.status).toBe(200);
    expect(throttled.body.data).toMatchObject({ ok: false, errcode: 410100 });
    const paused = await press();
    expect(paused.status).toBe(429);
    expect(paused.body.msg).toMatch(/throttled/);
    expect(Number(paused.headers.get('retry-after'))).toBeGreaterThan(9 * 60);
    const status = await t.request('GET', `/api/v1/dingtalk-bots/${bot.id}/status`);
    expect(Date.parse(status.body.data.rate_limited_until)).toBeGreaterThan(clock.now() + 9 * 60_000);
  });

  it('keeps every bot within its limit when many bots are claimed and recorded in batches', async () => {
    const clock = new ScaledClock(30);
    ({ sim, t } = await start({ simulator: true, clock, env: { DELIVERY_RATE_MARGIN_MS: '5000' } }));
    const robots = Array.from({ length: 6 }, (_, i) =>
      sim!.state.registerRobot({ secret: `SECbatch${i}0123456789` }),
    );
    for (const robot of robots) {
      await createBot(t, {
        store_id: 44,
        ...signedRobotFields(sim, robot),
      });
    }
    const REPORTS = 45;
    for (let start = 0; start < REPORTS; start += 5) {
      await Promise.all(
        Array.from({ length: Math.min(5, REPORTS - start) }, (_, i) => report(t!, 44, `菜${start + i}`)),
      );
    }
    const db = t.app.get(DataSource);
    await waitFor(
      async () => (await deliveredReportNotifications(db)) === REPORTS * robots.length,
      'every report delivered to every bot',
      120_000,
    );
    const [{ ids }] = await db.query(`SELECT array_agg(id ORDER BY id) AS ids FROM menu_reports`);
    for (const robot of robots) {
      const received = sim.state.received({ target: robot.token });
      expect(received.filter((message) => message.errcode !== 0 || message.signature !== 'valid')).toEqual(
        [],
      );
      expect(busiestMinute(received.map((message) => message.arrivedAt))).toBeLessThanOrEqual(20);
      const reportIds = received.flatMap((message) =>
        [...(message.text ?? '').matchAll(/(?:报菜编号：#|（#)(\d+)/g)].map((match) => Number(match[1])),
      );
      // Each report reached each bot exactly once, alone or in a digest line.
      expect([...reportIds].sort((a, b) => a - b)).toEqual(ids);
    }
  }, 180_000);
});
