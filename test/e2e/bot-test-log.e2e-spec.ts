import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../support/clocks';
import { claimDue } from '../support/delivery-queue';
import { givenRobotAnswers, givenWebhookBot, robotWebhook } from '../support/given';
import { useTestApp } from '../support/use-test-app';
import { waitFor, waitForValue } from '../support/wait-for';
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
  /** A webhook bot whose robot answers every send with DingTalk's throttle (410100). */
  const givenThrottledBot = async (storeId: number) => {
    const robot = sim.state.registerRobot();
    const bot = await givenWebhookBot(t, { store_id: storeId, webhook: robotWebhook(sim, robot) });
    givenRobotAnswers(sim, 410100, 'send too fast');
    return bot;
  };
  const rateLimitedUntil = async (botId: number) =>
    Date.parse(
      (await t.request('GET', `/api/v1/dingtalk-bots/${botId}/status`)).body.data.rate_limited_until,
    );

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

    // DingTalk's reason, and no promise to try again: nobody does.
    expect(pressed.body.data.hint).toBe(
      'DingTalk is busy or had a server error. Not retried: a test is tried once; press the test button again.',
    );
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
    const bot = await givenThrottledBot(74);
    expect((await press(bot.id)).body.data).toMatchObject({ ok: false, errcode: 410100 });
    const [logged] = await testsOf(bot.id);
    expect(logged).toMatchObject({ status: 'failed', attempt_count: 1 });
    expect(await rateLimitedUntil(bot.id)).toBeGreaterThan(clock.now() + 9 * 60_000);
  });

  it("records the click's answer while requests fill the pool's queue: the row failed, the throttle's pause kept", async () => {
    const bot = await givenThrottledBot(76);
    // From DingTalk's answer on, the pool's queue is at the requests' ceiling (src/database/waiting-queries-limit.ts).
    const pool = poolOf(t.app.get(DataSource));
    Object.defineProperty(pool, 'waitingCount', {
      configurable: true,
      get: () => (sim.state.faults.length === 0 ? 1_000_000 : 0),
    });
    let pressed;
    try {
      pressed = await press(bot.id);
    } finally {
      delete (pool as { waitingCount?: number }).waitingCount;
    }
    expect(pressed.body.data).toMatchObject({ ok: false, errcode: 410100 });
    const [logged] = await testsOf(bot.id);
    expect(logged).toMatchObject({ status: 'failed', attempt_count: 1, hint: pressed.body.data.hint });
    expect(t.logs.find(`Recording test message ${logged.id}`)).toEqual([]);
    expect(await rateLimitedUntil(bot.id)).toBeGreaterThan(clock.now() + 9 * 60_000);
  });

  it('leaves the record to the dispatcher when the database refuses it: recorded once it can be, pause kept', async () => {
    const bot = await givenThrottledBot(77);
    const db = t.app.get(DataSource);
    // The delivery log refuses the attempt for a while (as a database that fails statements would).
    await db.query(`CREATE TABLE refuse_attempts ()`);
    await db.query(`INSERT INTO refuse_attempts DEFAULT VALUES`);
    await db.query(`
      CREATE FUNCTION refuse_attempt() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM refuse_attempts) THEN RAISE EXCEPTION 'attempts refused (test)'; END IF;
        RETURN NEW;
      END $$`);
    await db.query(`CREATE TRIGGER refuse_attempt BEFORE INSERT ON notification_attempts
                    FOR EACH ROW EXECUTE FUNCTION refuse_attempt()`);
    try {
      const pressed = await press(bot.id);
      expect(pressed.body.data).toMatchObject({ ok: false, errcode: 410100 });
      const [waiting] = await testsOf(bot.id);
      expect(waiting.status).toBe('pending');
      expect(t.logs.find(`Recording test message ${waiting.id}`)).toHaveLength(1);

      await db.query(`DELETE FROM refuse_attempts`);
      const logged = await waitForValue(async () => {
        await clock.advance(1_000); // The dispatcher's wait after a failed round.
        const [row] = await testsOf(bot.id);
        return row.status === 'failed' ? row : undefined;
      }, 'the dispatcher to record the click');
      expect(logged).toMatchObject({ attempt_count: 1, hint: pressed.body.data.hint });
      expect(await rateLimitedUntil(bot.id)).toBeGreaterThan(clock.now() + 8 * 60_000);
    } finally {
      await db.query(`DROP TRIGGER refuse_attempt ON notification_attempts`);
      await db.query(`DROP FUNCTION refuse_attempt()`);
      await db.query(`DROP TABLE refuse_attempts`);
    }
  });

  it('waits for a bot being deleted, holding no cluster-wide lock, and answers 404 once it is gone', async () => {
    const robot = sim.state.registerRobot();
    const bot = await givenWebhookBot(t, { store_id: 78, webhook: robotWebhook(sim, robot) });
    const db = t.app.get(DataSource);
    const deleting = db.createQueryRunner();
    await deleting.connect();
    try {
      await deleting.startTransaction();
      await deleting.query(`DELETE FROM ding_talk_bots WHERE id = $1`, [bot.id]);
      const click = press(bot.id);
      let answered = false;
      void click.then(() => (answered = true));
      // (Before the bot's row was locked first, the click sent to the bot being deleted and wrote its row.)
      await waitFor(
        async () => answered || (await waitingForLocks(db)) > 0,
        'the click to wait for the bot being deleted',
      );
      // The cluster's budget row, which every claim of every instance spends from, is not held meanwhile.
      await db.transaction((manager) =>
        manager.query(`SELECT 1 FROM dingtalk_call_budget WHERE id = 1 FOR UPDATE NOWAIT`),
      );
      await deleting.commitTransaction();
      const answer = await click;
      expect(answer.status, answer.text).toBe(404);
      expect(answer.body.msg).toBe(`DingTalk bot ${bot.id} not found`);
    } finally {
      if (deleting.isTransactionActive) await deleting.rollbackTransaction();
      await deleting.release();
    }
    expect(sim.state.received({ target: robot.token })).toEqual([]);
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

/** The pool of the application's connections (node-postgres), whose queue the requests' ceiling reads. */
function poolOf(dataSource: DataSource): object {
  return (dataSource.driver as unknown as { master: object }).master;
}

/** How many sessions of the test's database wait for a lock now. */
async function waitingForLocks(dataSource: DataSource): Promise<number> {
  const [row] = await dataSource.query<Array<{ waiting: number }>>(
    `SELECT count(*)::int AS waiting FROM pg_stat_activity
     WHERE datname = current_database() AND wait_event_type = 'Lock'`,
  );
  return row.waiting;
}
