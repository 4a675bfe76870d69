import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Simulator, startSimulator } from '../../simulator/simulator';
import { ScaledClock } from '../support/clocks';
import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const REPORTS = Number(process.env.BURST_REPORTS ?? 200);
const LIMIT = 20;

/**
 * SPEC §7: a bot never sends more than rate_limit_per_minute messages a minute. Time runs 30 times faster, shared by
 * the service and the simulator, whose robot throttles (410100) the 21st message of any sliding minute.
 */
describe('notification delivery: per-bot rate limit under a burst', () => {
  const clock = new ScaledClock(30);
  let sim: Simulator;
  let t: TestApp;

  beforeAll(async () => {
    sim = await startSimulator({ clock });
    t = await startTestApp({ clock, env: { ...sim.env, DELIVERY_RATE_MARGIN_MS: '5000' } });
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  it(`delivers ${REPORTS} reports to one webhook bot without ever exceeding ${LIMIT} a minute`, async () => {
    const robot = sim.state.registerRobot({ secret: 'SECburst0123456789' });
    const created = await t.request('POST', '/api/v1/dingtalk-bots', {
      body: {
        name: 'burst',
        store_id: 31,
        webhook: `${sim.url}/robot/send?access_token=${robot.token}`,
        secret: robot.secret,
        msg_type: 'text',
      },
    });
    expect(created.status).toBe(201);

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
    await waitFor(
      async () => {
        const [row] = await db.query(`SELECT count(*)::int AS sent FROM notifications WHERE status = 'sent'`);
        return row.sent === REPORTS;
      },
      `all ${REPORTS} notifications sent`,
      240_000,
    );

    const received = sim.state.received({ target: robot.token });
    expect(received.filter((message) => message.errcode === 410100)).toEqual([]);
    expect(received.filter((message) => message.errcode !== 0)).toEqual([]);
    expect(received).toHaveLength(REPORTS);
    expect(received.every((message) => message.signature === 'valid')).toBe(true);
    // No sliding minute (the simulator's own window: arrivals less than 60 s apart) holds more than LIMIT.
    const arrivals = received.map((message) => message.arrivedAt).sort((a, b) => a - b);
    let busiest = 0;
    for (let i = 0; i < arrivals.length; i++) {
      let j = i;
      while (j + 1 < arrivals.length && arrivals[j + 1] - arrivals[i] < 60_000) j++;
      busiest = Math.max(busiest, j - i + 1);
    }
    expect(busiest).toBeLessThanOrEqual(LIMIT);
    // Oldest first: the robot got the reports in the order they were made.
    const [{ ids }] = await db.query(
      `SELECT array_agg(menu_report_id ORDER BY sent_at, id) AS ids FROM notifications WHERE status = 'sent'`,
    );
    expect(received.map((message) => /报菜编号：#(\d+)/.exec(message.text ?? '')?.[1]).map(Number)).toEqual(
      [...ids].sort((a: number, b: number) => a - b),
    );
    const [{ throttled }] = await db.query(
      `SELECT count(*)::int AS throttled FROM notification_attempts WHERE outcome = 'throttled'`,
    );
    expect(throttled).toBe(0);
  }, 300_000);
});
