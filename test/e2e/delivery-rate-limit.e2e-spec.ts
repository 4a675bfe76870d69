import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { ScaledClock } from '../support/clocks';
import { busiestMinute, deliveredReportNotifications } from '../support/delivery-checks';
import { waitFor } from '../support/wait-for';
import { useTestApp } from '../support/use-test-app';
import { givenWebhookBot, signedRobotFields } from '../support/given';

const REPORTS = Number(process.env.BURST_REPORTS ?? 200);
const LIMIT = 20;

/**
 * A bot never sends more than rate_limit_per_minute messages a minute, and a backlog that would wait
 * longer than a minute goes out as digests. Time runs 30 times faster, shared by
 * the service and the simulator, whose robot throttles (410100) the 21st message of any sliding minute.
 */
describe('notification delivery: per-bot rate limit under a burst', () => {
  const clock = new ScaledClock(30);
  const { sim, t } = useTestApp({ simulator: true, clock, env: { DELIVERY_RATE_MARGIN_MS: '5000' } });

  it(`delivers ${REPORTS} reports to one webhook bot without ever exceeding ${LIMIT} a minute, merging the backlog into digests`, async () => {
    const robot = sim.state.registerRobot({ secret: 'SECburst0123456789' });
    await givenWebhookBot(t, {
      name: 'burst',
      store_id: 31,
      ...signedRobotFields(sim, robot),
      msg_type: 'text',
    });

    const burst = Array.from({ length: REPORTS }, (_, i) => i);
    for (let start = 0; start < burst.length; start += 10) {
      const answers = await Promise.all(
        burst.slice(start, start + 10).map((i) =>
          t.request('POST', '/api/v1/menu-reports', {
            body: { store_id: 31, dish_name: `菜${i}`, quantity: 1, unit: '份' },
          }),
        ),
      );
      for (const answer of answers) expect(answer.status).toBe(201);
    }

    const db = t.app.get(DataSource);
    // Every report is delivered: on its own, or folded into a digest that was sent.
    await waitFor(
      async () => (await deliveredReportNotifications(db)) === REPORTS,
      `all ${REPORTS} reports delivered`,
      240_000,
    );

    const received = sim.state.received({ target: robot.token });
    expect(received.filter((message) => message.errcode === 410100)).toEqual([]);
    expect(received.filter((message) => message.errcode !== 0)).toEqual([]);
    expect(received.every((message) => message.signature === 'valid')).toBe(true);
    // No sliding minute (the simulator's own window: arrivals less than 60 s apart) holds more than LIMIT.
    expect(busiestMinute(received.map((message) => message.arrivedAt))).toBeLessThanOrEqual(LIMIT);
    // Each report reached the robot exactly once, oldest first, alone (报菜编号：#id) or in a digest line (（#id）).
    const reportIds = received.flatMap((message) =>
      [...(message.text ?? '').matchAll(/(?:报菜编号：#|（#)(\d+)/g)].map((match) => Number(match[1])),
    );
    const [{ ids }] = await db.query(`SELECT array_agg(id ORDER BY id) AS ids FROM menu_reports`);
    expect([...reportIds].sort((a, b) => a - b)).toEqual(ids);
    // Oldest first means in the order the reports were committed, which is not always id order: concurrent reports
    // may commit out of id order (on the embedded database too, now a PostgreSQL server with concurrent sessions).
    const digests = received.filter((message) => message.title?.startsWith('报菜汇总'));
    expect(received.length).toBeLessThanOrEqual(REPORTS);
    if (received.length < REPORTS) expect(digests.length).toBeGreaterThan(0);
    const [{ throttled }] = await db.query(
      `SELECT count(*)::int AS throttled FROM notification_attempts WHERE outcome = 'throttled'`,
    );
    expect(throttled).toBe(0);
  }, 300_000);
});
