import { DataSource } from 'typeorm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../test/support/clocks';
import {
  claimDue,
  expireLease,
  givenBotOnOwnRobot,
  OK,
  sendResult,
  stopDispatcher,
} from '../../../../test/support/delivery-queue';
import { givenMenuReport } from '../../../../test/support/given';
import { useTestApp } from '../../../../test/support/use-test-app';
import { SendOutcome } from '../../../dingtalk-bot/bot-sender';
import { ClaimedNotification, SendResult } from './claimed-notification';
import { RecordingRepository } from './recording.repository';

const REFUSED: SendOutcome = {
  ...OK,
  kind: 'permanent',
  errcode: 310000,
  errmsg: 'sign not match',
  hint: 'The signature does not match',
};

const THROTTLED: SendOutcome = {
  ...OK,
  kind: 'throttled',
  errcode: 410100,
  errmsg: 'send too fast',
  hint: 'DingTalk throttled the robot',
};

/** RecordingRepository on the real database: what the outcome of a send writes, in one round's transaction. */
describe('RecordingRepository', () => {
  const clock = new ManualClock(Date.now());
  const { t } = useTestApp({ clock });
  const db = () => t.app.get(DataSource);
  const record = (results: SendResult[]) =>
    db().transaction((manager) => t.app.get(RecordingRepository).record(manager, results));
  const notification = async (id: string) =>
    (
      await db().query(
        `SELECT status, attempts, claim, lease_owner, sent_at, hint FROM notifications WHERE id = $1`,
        [id],
      )
    )[0];
  const state = async (botId: number) =>
    (
      await db().query(
        `SELECT busy_claim, busy_until, last_delivery_status, next_due_at, rate_limited_until
         FROM bot_delivery_states WHERE bot_id = $1`,
        [botId],
      )
    )[0];
  const window = async (robotKey: string) =>
    (
      await db().query(
        `SELECT recent_sends, paused_until, pause_hint FROM robot_rate_windows WHERE robot_key = $1`,
        [robotKey],
      )
    )[0];

  beforeAll(async () => {
    await stopDispatcher(t);
  });

  it('records a sent notification, logs its attempt, frees its bot and moves its window entry to the recording', async () => {
    const bot = await givenBotOnOwnRobot(t, { store_id: 301 });
    await givenMenuReport(t, { store_id: 301, dish_name: '一' });
    const second = await givenMenuReport(t, { store_id: 301, dish_name: '二' });
    const claimedAt = clock.now();
    const [claimed] = await claimDue(t, [bot.id], { now: claimedAt });
    expect((await window(claimed.robotKey)).recent_sends).toEqual([claimedAt]);

    await clock.advance(5_000);
    const recorded = await record([sendResult(claimed, clock.now())]);

    expect(recorded).toEqual({ held: new Set([claimed.id]), block: null, healthChanges: [] });
    expect(await notification(claimed.id)).toMatchObject({
      status: 'sent',
      attempts: 1,
      claim: null,
      lease_owner: null,
      sent_at: new Date(clock.now()),
    });
    expect(
      await db().query(
        `SELECT outcome, http_status, errcode FROM notification_attempts WHERE notification_id = $1`,
        [claimed.id],
      ),
    ).toEqual([{ outcome: 'ok', http_status: 200, errcode: '0' }]);
    // Free, and due when the report still waiting is.
    const [waiting] = await db().query(`SELECT next_attempt_at FROM notifications WHERE id = $1`, [
      String(second.notifications[0].id),
    ]);
    expect(await state(bot.id)).toMatchObject({
      busy_claim: null,
      busy_until: null,
      last_delivery_status: 'sent',
      next_due_at: waiting.next_attempt_at,
    });
    // Counted from the recording (after the send reached DingTalk), no longer from the claim.
    expect((await window(claimed.robotKey)).recent_sends).toEqual([claimedAt + 5_000]);
  });

  it('logs a late result whose claim lost the row, and leaves the row and the bot to the claim that holds it', async () => {
    const bot = await givenBotOnOwnRobot(t, { store_id: 302 });
    await givenMenuReport(t, { store_id: 302 });
    const [late] = await claimDue(t, [bot.id], { owner: 'instance-a', now: clock.now() });
    await expireLease(db(), late.id, bot.id);
    const [current] = await claimDue(t, [bot.id], { owner: 'instance-b', now: clock.now() });
    expect(current.id).toBe(late.id);

    const recorded = await record([sendResult(late, clock.now())]);

    expect(recorded.held).toEqual(new Set());
    expect(await notification(late.id)).toMatchObject({
      status: 'pending',
      attempts: 0,
      claim: current.claim,
      lease_owner: 'instance-b',
    });
    expect(
      await db().query(`SELECT count(*)::int AS n FROM notification_attempts WHERE notification_id = $1`, [
        late.id,
      ]),
    ).toEqual([{ n: 1 }]);
    expect((await state(bot.id)).busy_claim).toBe(current.claim);
  });

  it('pauses the robot, or the app on a quota, for a throttle answer, and hands an IP block back unwritten', async () => {
    const bots = [];
    for (const store of [303, 304, 305]) {
      bots.push((await givenBotOnOwnRobot(t, { store_id: store })).id);
      await givenMenuReport(t, { store_id: store });
    }
    const claimed = await claimDue(t, bots, { now: clock.now(), maxClaims: 3 });
    expect(claimed).toHaveLength(3);
    const [robot, app, cluster] = claimed;
    const now = clock.now();
    const throttled = (ms: number, scope: 'robot' | 'app' | 'cluster') => ({
      status: 'pending' as const,
      attempts: 0,
      nextAttemptAt: now + ms,
      pause: { scope, ms },
      // The pause's hint is DingTalk's answer's; the verdict's speaks of the one message (a test's says it is
      // not tried again).
      hint: `the message: ${scope}`,
    });
    const answer = (scope: string) => ({ ...THROTTLED, hint: `paused: ${scope}` });
    const [blockedBefore] = await db().query(`SELECT blocked_until FROM dingtalk_call_budget WHERE id = 1`);

    const recorded = await record([
      sendResult(robot, now, answer('robot'), throttled(600_000, 'robot')),
      sendResult({ ...app, appKey: `app:${app.botId}` }, now, answer('app'), throttled(300_000, 'app')),
      sendResult(cluster, now, answer('cluster'), throttled(120_000, 'cluster')),
    ]);

    expect(recorded.block).toEqual({ ms: 120_000, hint: 'paused: cluster' });
    expect(await window(robot.robotKey)).toMatchObject({
      paused_until: new Date(now + 600_000),
      pause_hint: 'paused: robot',
    });
    expect(await window(`app:${app.botId}`)).toMatchObject({
      paused_until: new Date(now + 300_000),
      pause_hint: 'paused: app',
    });
    expect((await window(app.robotKey)).paused_until).toBeNull();
    expect(await db().query(`SELECT blocked_until FROM dingtalk_call_budget WHERE id = 1`)).toEqual([
      blockedBefore,
    ]);
    expect(await state(robot.botId)).toMatchObject({
      last_delivery_status: 'throttled',
      rate_limited_until: new Date(now + 600_000),
    });
    expect(await notification(robot.id)).toMatchObject({ status: 'pending', attempts: 0, claim: null });
  });

  it('says on the reports a digest folded that the digest failed, and takes the note away once it is sent', async () => {
    const bot = await givenBotOnOwnRobot(t, { store_id: 306, rate_limit_per_minute: 1 });
    const reports = [];
    for (const dish of ['一', '二', '三'])
      reports.push(await givenMenuReport(t, { store_id: 306, dish_name: dish }));
    const [digest] = await claimDue(t, [bot.id], { now: clock.now() });
    expect(digest.kind).toBe('digest');
    const folded = reports.map((report) => String(report.notifications[0].id));
    const hints = async () =>
      (
        await db().query(`SELECT hint FROM notifications WHERE id = ANY($1::bigint[]) ORDER BY id`, [folded])
      ).map((row: { hint: string | null }) => row.hint);

    await record([sendResult(digest, clock.now(), { ...OK, kind: 'permanent' }, { status: 'failed' })]);
    expect(await hints()).toEqual(
      folded.map(
        () =>
          `Folded into digest ${digest.id}, which failed (see its hint): this report did not arrive. Resend ` +
          `notification ${digest.id} to send it with the others.`,
      ),
    );

    await db().query(`UPDATE notifications SET status = 'pending' WHERE id = $1`, [digest.id]);
    await expireLease(db(), digest.id, digest.botId);
    await clock.advance(120_000); // past the robot's minute (one send a minute) and its margin
    const [again] = await claimDue(t, [bot.id], { now: clock.now() });
    expect(again.id).toBe(digest.id);
    await record([sendResult(again, clock.now())]);
    expect(await hints()).toEqual(folded.map(() => null));
  });

  describe("what the answers say of the bots' health", () => {
    const health = async (query: { query: DataSource['query'] } | DataSource, botId: number) =>
      (
        await query.query<Array<{ health: string; reason: string | null }>>(
          `SELECT health, reason FROM bot_health WHERE bot_id = $1`,
          [botId],
        )
      )[0];
    const refusal = (claimed: ClaimedNotification, at: number) =>
      sendResult(claimed, at, REFUSED, { status: 'failed', hint: REFUSED.hint });

    it('writes it in the transaction that records the answer: rolled back, neither is kept; committed, both, with nothing else to run', async () => {
      const bot = await givenBotOnOwnRobot(t, { store_id: 310 });
      await givenMenuReport(t, { store_id: 310 });
      const [claimed] = await claimDue(t, [bot.id], { now: clock.now() });
      await clock.advance(1_000);
      const refused = refusal(claimed, clock.now());

      await expect(
        db().transaction(async (manager) => {
          const recorded = await t.app.get(RecordingRepository).record(manager, [refused]);
          expect(recorded.healthChanges).toEqual([
            expect.objectContaining({ bot_id: bot.id, was: 'healthy', health: 'broken' }),
          ]);
          // In the recording's transaction, not yet committed: no other connection sees either.
          expect(await health(manager, bot.id)).toEqual({ health: 'broken', reason: 'send_refused' });
          expect(await health(db(), bot.id)).toEqual({ health: 'healthy', reason: null });
          throw new Error('the process stops before the commit');
        }),
      ).rejects.toThrow('the process stops');
      expect(await health(db(), bot.id)).toEqual({ health: 'healthy', reason: null });
      expect(await notification(claimed.id)).toMatchObject({ status: 'pending', attempts: 0 });

      // The repository alone, in a transaction of the test's: no queue, no event, no listener after it.
      await record([refused]);
      expect(await notification(claimed.id)).toMatchObject({ status: 'failed' });
      expect(await health(db(), bot.id)).toEqual({ health: 'broken', reason: 'send_refused' });
    });

    it('applies the answers in the order the sends ended, whichever instance records them last', async () => {
      const bot = await givenBotOnOwnRobot(t, { store_id: 311 });
      await givenMenuReport(t, { store_id: 311 });
      await givenMenuReport(t, { store_id: 311 });
      // Instance A's send stalls past its lease; instance B sends the row again, and DingTalk accepts it.
      const [stalled] = await claimDue(t, [bot.id], { owner: 'instance-a', now: clock.now() });
      await expireLease(db(), stalled.id, bot.id);
      const [again] = await claimDue(t, [bot.id], { owner: 'instance-b', now: clock.now() });
      const t0 = clock.now();
      await record([sendResult(again, t0 + 2_000)]);
      // A's answer, a refusal given before B's send was accepted, is recorded after it: the bot is not broken.
      await record([refusal(stalled, t0 + 1_000)]);
      expect(await health(db(), bot.id)).toEqual({ health: 'healthy', reason: null });

      // The next send is refused; an acceptance older than that refusal, recorded after it, does not mend the bot.
      const [next] = await claimDue(t, [bot.id], { owner: 'instance-b', now: clock.now() });
      await record([refusal(next, t0 + 4_000)]);
      expect(await health(db(), bot.id)).toEqual({ health: 'broken', reason: 'send_refused' });
      await record([sendResult(stalled, t0 + 3_000)]);
      expect(await health(db(), bot.id)).toEqual({ health: 'broken', reason: 'send_refused' });
    });
  });
});
