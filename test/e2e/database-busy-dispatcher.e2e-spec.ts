import { DataSource, QueryRunner } from 'typeorm';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor, waitForValue } from '../support/wait-for';
import { givenWebhookBot, robotWebhook } from '../support/given';
import { useTestApp } from '../support/use-test-app';

/**
 * The ceiling on requests waiting for a database connection (src/database/waiting-queries-limit.ts) holds for HTTP
 * requests only. The dispatcher shares the pool: were its rounds refused while a flood of requests keeps the queue
 * full, a send's result would go unrecorded until its lease ran out, and another instance would send it again. Here
 * the pool has two connections, both held (as by slow requests), the queue is full of requests, and a robot's answer
 * to a send in flight arrives meanwhile: the round that records it waits its turn instead of failing.
 */
describe('a saturated database and the dispatcher', () => {
  const { sim, t } = useTestApp({ simulator: true, connection: { poolSize: 2, waitingLimit: 2 } });
  let held: QueryRunner[] = [];

  afterEach(async () => {
    await Promise.all(held.map((runner) => runner.release()));
    held = [];
  });

  it('records a send while requests keep the queue at its ceiling: no round fails, the report is sent once', async () => {
    const robot = sim.state.registerRobot();
    await givenWebhookBot(t, { msg_type: 'text', store_id: 81, webhook: robotWebhook(sim, robot) });
    // DingTalk takes the message and answers 1.5 s later.
    sim.state.addFault({ path: '/robot/send', mode: 'slow', delayMs: 1_500, remaining: 1 });
    const created = await t.request('POST', '/api/v1/menu-reports', {
      body: { store_id: 81, dish_name: '辣子鸡', quantity: 1, unit: '份' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = (created.body.data as { notifications: Array<{ id: number }> }).notifications[0].id;
    await waitFor(() => sim.state.received({ target: robot.token }).length === 1, 'the message to arrive');

    // Both connections held, then requests until two wait and the rest are refused.
    const dataSource = t.app.get(DataSource);
    held = [dataSource.createQueryRunner(), dataSource.createQueryRunner()];
    await Promise.all(held.map((runner) => runner.connect()));
    const flood = Array.from({ length: 6 }, () => t.request('GET', '/api/v1/dingtalk-bots'));
    await waitFor(() => pool(dataSource).waitingCount >= 2, 'two requests to wait for a connection');

    // The answer arrives; the dispatcher's round to record it waits in the queue, or (without the fix) fails.
    await waitFor(
      () => pool(dataSource).waitingCount >= 3 || t.logs.find('Delivery round failed').length > 0,
      'the dispatcher to ask for a connection',
    );
    expect(t.logs.find('Delivery round failed')).toEqual([]);
    await Promise.all(held.map((runner) => runner.release()));
    held = [];

    const answers = await Promise.all(flood);
    expect(answers.filter((answer) => answer.status === 503).length).toBeGreaterThanOrEqual(1);
    expect(answers.every((answer) => answer.status === 200 || answer.status === 503)).toBe(true);
    const sent = await waitForValue(async () => {
      const seen = (await t.request('GET', `/api/v1/notifications/${id}`)).body.data as { status: string };
      return seen.status === 'sent' ? seen : undefined;
    }, 'the notification to be sent');
    expect(sent.status).toBe('sent');
    expect(sim.state.received({ target: robot.token })).toHaveLength(1);
    expect(t.logs.find('Delivery round failed')).toEqual([]);
  });
});

function pool(dataSource: DataSource): { waitingCount: number } {
  return (dataSource.driver as unknown as { master: { waitingCount: number } }).master;
}
