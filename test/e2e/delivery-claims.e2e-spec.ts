import { Client } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { describe, expect, it, vi } from 'vitest';
import { Simulator } from '../../simulator/simulator';
import { BotCredentialsCache } from '../../src/notify/delivery/bot-credentials.cache';
import { ClaimedNotification, SendResult } from '../../src/notify/delivery/queue/claimed-notification';
import { DeliveryQueue } from '../../src/notify/delivery/queue/delivery-queue';
import { DigestFoldRepository, FoldRequest } from '../../src/notify/delivery/queue/digest-fold.repository';
import { NotificationDispatcher } from '../../src/notify/delivery/dispatcher/notification-dispatcher';
import { SendOutcome } from '../../src/dingtalk-bot/bot-sender';
import { ScaledClock } from '../support/clocks';
import { TestDatabase } from '../support/test-database';
import { TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { useTestAppPerTest } from '../support/use-test-app';
import { givenMenuReport, givenWebhookBot, robotWebhook } from '../support/given';
import { expireLease, OK } from '../support/delivery-queue';

/**
 * Who may change a notification: the claim that holds it. Claims are numbered (the fencing token), leases end by
 * the database's clock, a send stops on its own timer before its lease can run out, a clean stop lets every send
 * end and records it, and a resend takes the row away from an earlier send whose result comes late.
 */
describe('delivery claims and leases', () => {
  /** Each test starts its own simulator and application (another configuration, another clock), closed after it. */
  const start = useTestAppPerTest();
  let sim: Simulator | undefined;
  let t: TestApp | undefined;
  let database: TestDatabase | undefined;

  const createBot = (app: TestApp, storeId: number, token: string) =>
    givenWebhookBot(app, { msg_type: 'text', store_id: storeId, webhook: robotWebhook(sim!, { token }) });
  /** A webhook bot allowed one message a minute: a second report waits, and a third makes a digest. */
  const oncePerMinuteBot = async (app: TestApp, storeId: number, token: string) =>
    (
      await givenWebhookBot(app, {
        name: '厨房群',
        msg_type: 'text',
        store_id: storeId,
        rate_limit_per_minute: 1,
        webhook: robotWebhook(sim!, { token }),
      })
    ).id;
  const report = async (app: TestApp, storeId: number, dish: string) =>
    (await givenMenuReport(app, { store_id: storeId, dish_name: dish })).notifications[0].id;
  const detail = async (app: TestApp, id: number) =>
    (await app.request('GET', `/api/v1/notifications/${id}`)).body.data as {
      status: string;
      attempts: Array<{ outcome: string; errmsg: string | null }>;
    };

  it('counts a result only while its claim holds the row: a late result after a re-claim changes nothing', async () => {
    ({ sim, t } = await start({ simulator: true }));
    // The test claims and records through the queue itself, as two instances would; the app's own dispatcher stops.
    await t.app.get(NotificationDispatcher).beforeApplicationShutdown();
    const robot = sim.state.registerRobot();
    const bot = await createBot(t, 51, robot.token);
    const id = String(await report(t, 51, '一'));
    const queue = t.app.get(DeliveryQueue);
    const db = t.app.get(DataSource);
    const claim = async (owner: string) =>
      (
        await queue.cycle({
          owner,
          results: [],
          maxClaims: 1,
          busyBotIds: [],
          now: Date.now(),
          leaseMs: 60_000,
        })
      ).claimed;
    const record = async (claimed: ClaimedNotification, outcome: SendOutcome, status: 'sent' | 'failed') => {
      const result: SendResult = {
        claimed,
        startedAt: Date.now(),
        finishedAt: Date.now(),
        outcome,
        verdict: { status, attempts: 1, nextAttemptAt: null, pause: null, hint: outcome.hint },
      };
      const answer = await queue.cycle({
        owner: 'any',
        results: [result],
        maxClaims: 0,
        busyBotIds: [],
        now: Date.now(),
        leaseMs: 60_000,
      });
      return answer.held;
    };
    // The lease runs out (its instance stalled), by the database's clock; the bot is due again.
    const expire = () => expireLease(db, id, bot.id);
    const row = async () =>
      (
        await db.query(`SELECT status, attempts, lease_owner, claim FROM notifications WHERE id = $1`, [id])
      )[0] as { status: string; attempts: number; lease_owner: string | null; claim: string | null };
    const ok = OK;
    const refused: SendOutcome = {
      ...ok,
      kind: 'permanent',
      errcode: 300001,
      errmsg: 'refused',
      hint: 'fix it',
    };

    const [a1] = await claim('instance-a');
    expect(a1.id).toBe(id);
    expect(await claim('instance-b')).toEqual([]); // leased: nobody else takes it
    await expire();
    const [b1] = await claim('instance-b');
    expect(b1.id).toBe(id);
    expect(b1.claim).not.toBe(a1.claim);

    // A's send comes back late: logged as an attempt, but the row stays B's.
    expect(await record(a1, ok, 'sent')).toEqual(new Set());
    expect(await row()).toMatchObject({
      status: 'pending',
      attempts: 0,
      lease_owner: 'instance-b',
      claim: b1.claim,
    });
    expect(await queue.renewLeases([a1], 60_000, Date.now())).toEqual(new Set());
    expect(await queue.renewLeases([b1], 60_000, Date.now())).toEqual(new Set([id]));

    // The same instance's earlier claim, too: an owner's name cannot tell its claims apart, their numbers can.
    await expire();
    const [b2] = await claim('instance-b');
    expect(await record(b1, refused, 'failed')).toEqual(new Set());
    expect(await row()).toMatchObject({ status: 'pending', attempts: 0, claim: b2.claim });

    expect(await record(b2, ok, 'sent')).toEqual(new Set([id]));
    expect(await row()).toMatchObject({ status: 'sent', attempts: 1, lease_owner: null });
    const [state] = await db.query(
      `SELECT busy_until, busy_claim FROM bot_delivery_states WHERE bot_id = $1`,
      [bot.id],
    );
    expect(state).toEqual({ busy_until: null, busy_claim: null });
    const logged = await detail(t, Number(id));
    expect(logged.attempts.map((attempt) => attempt.outcome)).toEqual(['ok', 'permanent', 'ok']);
  });

  it('leaves a row folded into a digest alone when the claim that held it before answers late', async () => {
    ({ sim, t } = await start({ simulator: true }));
    await t.app.get(NotificationDispatcher).beforeApplicationShutdown();
    const robot = sim.state.registerRobot();
    const botId = await oncePerMinuteBot(t, 55, robot.token);
    const queue = t.app.get(DeliveryQueue);
    const db = t.app.get(DataSource);
    const cycle = async (owner: string, results: SendResult[], maxClaims: number, now = Date.now()) =>
      queue.cycle({ owner, results, maxClaims, busyBotIds: [], now, leaseMs: 60_000 });
    const first = String(await report(t, 55, '一'));
    const [a1] = (await cycle('instance-a', [], 1)).claimed;
    expect(a1.id).toBe(first);
    await report(t, 55, '二');
    await report(t, 55, '三');
    // A stalls (its renewals fail) and its lease runs out by the database's clock; B folds the backlog.
    await expireLease(db, first, botId);
    // A minute on (A's claim counts in the bot's rate window of one a minute). The robot's window is on the
    // database's clock, which this test cannot move: it forgets A's send instead.
    await db.query(`UPDATE robot_rate_windows SET recent_sends = '[]'`);
    const [digest] = (await cycle('instance-b', [], 1, Date.now() + 70_000)).claimed;
    expect(digest.kind).toBe('digest');
    const folded = async () =>
      (await db.query(`SELECT status, merged_into, claim FROM notifications WHERE id = $1`, [first]))[0] as {
        status: string;
        merged_into: string | null;
        claim: string | null;
      };
    expect(await folded()).toEqual({ status: 'merged', merged_into: digest.id, claim: null });

    // A's send was stopped before DingTalk answered: a retry, were the row still A's. It is not.
    const late: SendResult = {
      claimed: a1,
      startedAt: Date.now(),
      finishedAt: Date.now(),
      outcome: {
        kind: 'transient',
        httpStatus: null,
        errcode: null,
        errmsg: 'Stopped before DingTalk answered',
        hint: null,
        latencyMs: 1,
        remainingTargets: null,
      },
      verdict: { status: 'retrying', attempts: 1, nextAttemptAt: Date.now(), pause: null, hint: null },
    };
    expect(await queue.renewLeases([a1], 60_000, Date.now())).toEqual(new Set());
    expect(await queue.releaseClaims([a1], Date.now())).toBe(0);
    expect((await cycle('instance-a', [late], 0)).held).toEqual(new Set());
    expect(await folded()).toEqual({ status: 'merged', merged_into: digest.id, claim: null });
    // Nothing of the bot waits but the digest B holds: the report goes once, inside it.
    const waiting: Array<{ id: string }> = await db.query(
      `SELECT id FROM notifications WHERE bot_id = $1 AND status IN ('pending', 'retrying') ORDER BY id`,
      [botId],
    );
    expect(waiting.map((row) => String(row.id))).toEqual([digest.id]);
  });

  it('sends nothing to a bot disabled between the claim and the send, and skips the row with the reason', async () => {
    ({ sim, t } = await start({ simulator: true }));
    const robot = sim.state.registerRobot();
    const bot = await createBot(t, 56, robot.token);
    // The disable commits after the claim read the bot as enabled, just before the send opens its credentials.
    const credentials = t.app.get(BotCredentialsCache);
    const open = credentials.get.bind(credentials);
    const disabled: Array<Promise<unknown>> = [];
    vi.spyOn(credentials, 'get').mockImplementationOnce(async (botId, version) => {
      const put = t!.request('PUT', `/api/v1/dingtalk-bots/${bot.id}`, { body: { is_enabled: false } });
      disabled.push(put);
      expect((await put).status).toBe(200);
      return open(botId, version);
    });
    const id = await report(t, 56, '停');
    await waitFor(async () => (await detail(t!, id)).status === 'skipped', 'the notification to be skipped');
    await Promise.all(disabled);
    const final = (await t.request('GET', `/api/v1/notifications/${id}`)).body.data as {
      hint: string;
      attempts: unknown[];
    };
    expect(final.hint).toMatch(/disabled or deleted/);
    expect(final.attempts).toEqual([]);
    expect(sim.state.received({ target: robot.token })).toEqual([]);
  });

  it('never turns a report skipped while a digest folds it into a merged one', async () => {
    ({ sim, t } = await start({ simulator: true }));
    await t.app.get(NotificationDispatcher).beforeApplicationShutdown();
    const robot = sim.state.registerRobot();
    const botId = await oncePerMinuteBot(t, 57, robot.token);
    const ids = [await report(t, 57, '一'), await report(t, 57, '二'), await report(t, 57, '三')].map(String);
    const queue = t.app.get(DeliveryQueue);
    const db = t.app.get(DataSource);
    const statuses = async () =>
      (
        await db.query(`SELECT status FROM notifications WHERE id = ANY($1::bigint[]) ORDER BY id`, [ids])
      ).map((row: { status: string }) => row.status) as string[];

    // Another instance disables the bot and skips its waiting reports while this claim folds them: between the
    // fold's read of the reports and its write of the digest.
    let skipped: Promise<void> | undefined;
    let seenMeanwhile: string[] = [];
    const folds = t.app.get(DigestFoldRepository);
    const original = folds.fold.bind(folds);
    vi.spyOn(folds, 'fold').mockImplementationOnce((manager: EntityManager, request: FoldRequest) => {
      const paused = Object.create(manager) as EntityManager;
      paused.query = async (sql: string, parameters?: unknown[]) => {
        if (skipped === undefined && sql.includes('INSERT INTO notifications')) {
          await db.query(`UPDATE ding_talk_bots SET is_enabled = false, updated_at = now() WHERE id = $1`, [
            botId,
          ]);
          let done = false;
          skipped = queue.skipWaitingOf(botId, Date.now()).then(() => {
            done = true;
          });
          // Until the skip is over, or waits for a lock (the fold's).
          await waitFor(
            async () =>
              done ||
              (
                await db.query(
                  `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%doomed%'`,
                )
              ).length > 0,
            'the skip to finish or wait',
          );
          seenMeanwhile = await statuses();
        }
        return manager.query(sql, parameters);
      };
      return original(paused, request);
    });
    const { claimed } = await queue.cycle({
      owner: 'instance-a',
      results: [],
      maxClaims: 1,
      busyBotIds: [],
      now: Date.now(),
      leaseMs: 60_000,
    });
    await skipped;
    const final = await statuses();
    // A report committed as skipped stays skipped; a digest carries only reports merged into it.
    seenMeanwhile.forEach((status, index) => {
      if (status === 'skipped') expect(final[index]).toBe('skipped');
    });
    if (final.includes('merged')) {
      expect(claimed.map((c) => c.kind)).toEqual(['digest']);
      expect(final).toEqual(['merged', 'merged', 'merged']);
    }
    expect(sim.state.received({ target: robot.token })).toEqual([]);
  });

  it('stops a send on its own timer before its lease can run out while the renewal hangs in the database', async () => {
    // A lease of 2 s, renewed every 0.5 s; the send's deadline falls a quarter before its end. The robot never
    // answers: without the deadline the send would go on for the full 8 s timeout, past its lease, while the
    // renewal waits for the lock the test holds.
    ({ sim, t } = await start({
      simulator: true,
      env: { DINGTALK_TIMEOUT_MS: '8000', DELIVERY_LEASE_MS: '2000', DELIVERY_RETRY_SCHEDULE: '1s' },
    }));
    const robot = sim.state.registerRobot();
    const bot = await createBot(t, 52, robot.token);
    sim.state.addFault({ path: '/robot/send', mode: 'timeout', remaining: 1 });
    const id = await report(t, 52, '慢');
    const db = t.app.get(DataSource);
    await waitFor(
      async () =>
        (await db.query(`SELECT lease_owner FROM notifications WHERE id = $1`, [id]))[0].lease_owner !== null,
      'the send to start',
    );
    // Another connection locks the bot's state row: every renewal waits for it. (The embedded database has one
    // connection: there every query of the service waits.)
    const runner = db.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query(`SELECT 1 FROM bot_delivery_states WHERE bot_id = $1 FOR UPDATE`, [bot.id]);
      await waitFor(
        () => t!.logs.find(`Notification ${id} to bot ${bot.id}: transient`).length > 0,
        'the send to be stopped',
        20_000,
      );
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }
    await waitFor(async () => (await detail(t!, id)).status === 'sent', 'the retry to be sent', 20_000);
    const { attempts } = await detail(t, id);
    expect(attempts.map((attempt) => attempt.outcome)).toEqual(['transient', 'ok']);
    expect(attempts[0].errmsg).toMatch(/the lease is about to run out unrenewed/);
    expect(sim.state.received({ target: robot.token, accepted: true })).toHaveLength(1);
  });

  it('lets a send in flight finish and records it on a clean stop, however long it takes', async () => {
    // 10 times faster: the robot answers after 25 s of clock time (2.5 s real), longer than the 10 s a stop used to
    // wait before giving the send's lease back (and another instance sent it again).
    const clock = new ScaledClock(10);
    ({ sim, t, database } = await start({ simulator: true, clock, env: { DINGTALK_TIMEOUT_MS: '5000' } }));
    const robot = sim.state.registerRobot();
    await createBot(t, 53, robot.token);
    sim.state.addFault({ path: '/robot/send', mode: 'slow', delayMs: 25_000, remaining: 1 });
    const id = await report(t, 53, '停');
    await waitFor(() => sim!.state.received({ target: robot.token }).length === 1, 'the message to arrive');
    const app = t;
    t = undefined;
    await app.app.close();

    const [row] = await queryAfterClose(
      database,
      `SELECT status, attempts, lease_owner,
              (SELECT count(*)::int FROM notification_attempts a WHERE a.notification_id = n.id) AS logged
       FROM notifications n WHERE id = $1`,
      [id],
    );
    expect(row).toEqual({ status: 'sent', attempts: 1, lease_owner: null, logged: 1 });
    expect(sim.state.received({ target: robot.token })).toHaveLength(1);
    expect(app.logs.find('waiting for 1 sends in flight to end')).toHaveLength(1);
  });

  it('leaves a resend in charge when the earlier send, whose lease ran out, answers late', async () => {
    ({ sim, t } = await start({ simulator: true }));
    const robot = sim.state.registerRobot();
    const bot = await createBot(t, 54, robot.token);
    sim.state.addFault({ path: '/robot/send', mode: 'slow', delayMs: 3_000, remaining: 1 });
    const id = await report(t, 54, '再');
    await waitFor(
      () => sim!.state.received({ target: robot.token }).length === 1,
      'the first send to arrive',
    );
    // While its lease holds, the notification is being sent: no resend.
    expect((await t.request('POST', `/api/v1/notifications/${id}/resend`)).status).toBe(409);
    // Its lease runs out (by the database's clock) while DingTalk's answer is still on its way.
    const db = t.app.get(DataSource);
    await db.query(`UPDATE notifications SET lease_expires_at = now() - interval '1 second' WHERE id = $1`, [
      id,
    ]);
    await db.query(
      `UPDATE bot_delivery_states SET busy_until = now() - interval '1 second' WHERE bot_id = $1`,
      [bot.id],
    );
    const resent = await t.request('POST', `/api/v1/notifications/${id}/resend`);
    expect(resent.status, JSON.stringify(resent.body)).toBe(200);
    expect(resent.body.data.status).toBe('pending');

    // The late answer is logged as an attempt and changes nothing; the resend goes out.
    await waitFor(async () => (await detail(t!, id)).attempts.length === 2, 'the resend to be sent', 20_000);
    const final = await detail(t, id);
    expect(final.status).toBe('sent');
    expect(final.attempts.map((attempt) => attempt.outcome)).toEqual(['ok', 'ok']);
    expect(sim.state.received({ target: robot.token, accepted: true })).toHaveLength(2);
  });
});

/**
 * A query on the database of an application that was just closed. The embedded test database serves one
 * connection and frees its slot a moment after the application's pool hung up (until then a new connection is cut):
 * tried again for a few seconds, as restartTestApp does.
 */
async function queryAfterClose(
  database: TestDatabase,
  text: string,
  values: unknown[],
): Promise<Array<Record<string, unknown>>> {
  for (let attempt = 1; ; attempt++) {
    const client = new Client({ connectionString: database.connection.url });
    try {
      await client.connect();
      return (await client.query(text, values)).rows as Array<Record<string, unknown>>;
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
