import { DataSource } from 'typeorm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../test/support/clocks';
import { givenBotOnOwnRobot, stopDispatcher } from '../../../../test/support/delivery-queue';
import { givenMenuReport } from '../../../../test/support/given';
import { useTestApp } from '../../../../test/support/use-test-app';
import { useGenericPlans } from '../../../database/plan-cache';
import { Claim, ClaimRepository, ClaimRequest } from './claim.repository';

/** ClaimRepository on the real database: what a claim leases, folds, skips and puts off, in one transaction. */
describe('ClaimRepository', () => {
  const clock = new ManualClock(Date.now());
  const { t } = useTestApp({ clock });
  const db = () => t.app.get(DataSource);
  /** A claim for the bots `forBots` alone: every other bot of the file is passed over as busy. */
  const claim = async (forBots: number[], request: Partial<ClaimRequest> = {}): Promise<Claim | null> => {
    const others: Array<{ id: number }> = await db().query(
      `SELECT id FROM ding_talk_bots WHERE id <> ALL($1::integer[])`,
      [forBots],
    );
    return db().transaction((manager) =>
      t.app.get(ClaimRepository).claim(manager, {
        owner: 'instance-a',
        maxClaims: 10,
        busyBotIds: others.map((bot) => bot.id),
        now: clock.now(),
        leaseMs: 60_000,
        ...request,
      }),
    );
  };
  const state = async (botId: number) =>
    (
      await db().query(
        `SELECT next_due_at, busy_owner, busy_claim FROM bot_delivery_states WHERE bot_id = $1`,
        [botId],
      )
    )[0];
  const notification = async (id: number | string) =>
    (await db().query(`SELECT status, lease_owner, claim, hint FROM notifications WHERE id = $1`, [id]))[0];

  beforeAll(async () => {
    await stopDispatcher(t);
  });

  it("leases each due bot's oldest notification, one per bot, and makes the bot busy with the claim", async () => {
    const a = await givenBotOnOwnRobot(t, { store_id: 501 });
    const b = await givenBotOnOwnRobot(t, { store_id: 502 });
    const [a1] = (await givenMenuReport(t, { store_id: 501, dish_name: '一' })).notifications;
    await givenMenuReport(t, { store_id: 501, dish_name: '二' });
    const [b1] = (await givenMenuReport(t, { store_id: 502, dish_name: '三' })).notifications;

    const answer = await claim([a.id, b.id]);

    expect(answer?.claimed.map((c) => [c.botId, c.id, c.kind, c.claimedAt])).toEqual([
      [a.id, String(a1.id), 'menu_report', clock.now()],
      [b.id, String(b1.id), 'menu_report', clock.now()],
    ]);
    const [first] = answer!.claimed;
    expect(first).toMatchObject({ title: '报菜通知：一 1 份', msgType: 'markdown', attempts: 0 });
    expect(await notification(a1.id)).toMatchObject({
      status: 'pending',
      lease_owner: 'instance-a',
      claim: first.claim,
    });
    expect(await state(a.id)).toMatchObject({
      busy_owner: 'instance-a',
      busy_claim: first.claim,
      next_due_at: new Date(clock.now() + 60_000),
    });
    // Every bot busy or claimed: nothing else is due now.
    expect(await claim([a.id, b.id])).toBeNull();
  });

  it("passes over a busy bot, and leaves a bot whose robot's window is full due when it has room", async () => {
    const busy = await givenBotOnOwnRobot(t, { store_id: 503 });
    const full = await givenBotOnOwnRobot(t, { store_id: 504, rate_limit_per_minute: 1 });
    await givenMenuReport(t, { store_id: 503 });
    await givenMenuReport(t, { store_id: 504, dish_name: '一' });
    const [sent] = (await claim([full.id]))!.claimed;
    const [waiting] = (await givenMenuReport(t, { store_id: 504, dish_name: '二' })).notifications;
    await db().query(
      `UPDATE notifications SET status = 'sent', lease_owner = NULL, claim = NULL WHERE id = $1`,
      [sent.id],
    );
    await db().query(
      `UPDATE bot_delivery_states SET busy_until = NULL, busy_claim = NULL, next_due_at = $2 WHERE bot_id = $1`,
      [full.id, new Date(clock.now())],
    );

    const answer = await claim([busy.id, full.id], { busyBotIds: [busy.id] });

    expect(answer?.claimed).toEqual([]);
    expect(await notification(waiting.id)).toMatchObject({ status: 'pending', claim: null });
    const margin = t.config.delivery.rateWindowMarginMs;
    expect((await state(full.id)).next_due_at).toEqual(new Date(sent.windowStamp + 60_000 + margin + 1));
  });

  it("folds a backlog longer than a minute's worth of the bot's rate into one digest, and leases the digest", async () => {
    const bot = await givenBotOnOwnRobot(t, { store_id: 505, rate_limit_per_minute: 2 });
    const reports = [];
    for (const dish of ['一', '二', '三', '四'])
      reports.push(await givenMenuReport(t, { store_id: 505, dish_name: dish }));

    const [digest] = (await claim([bot.id]))!.claimed;

    expect(digest).toMatchObject({ kind: 'digest', msgType: 'markdown', title: '报菜汇总：4 条' });
    for (const report of reports) {
      const [row] = await db().query(`SELECT status, merged_into FROM notifications WHERE id = $1`, [
        report.notifications[0].id,
      ]);
      expect(row).toEqual({ status: 'merged', merged_into: digest.id });
    }
  });

  it('skips what waits for a disabled bot, with why, and what a moved bot waits for of its old store', async () => {
    const disabled = await givenBotOnOwnRobot(t, { store_id: 506 });
    const moved = await givenBotOnOwnRobot(t, { store_id: 507 });
    const [forDisabled] = (await givenMenuReport(t, { store_id: 506 })).notifications;
    const [forMoved] = (await givenMenuReport(t, { store_id: 507 })).notifications;
    // Changed behind the application's back (no event): the claim finds it.
    await db().query(`UPDATE ding_talk_bots SET is_enabled = false WHERE id = $1`, [disabled.id]);
    await db().query(`UPDATE ding_talk_bots SET store_id = 508 WHERE id = $1`, [moved.id]);

    const answer = await claim([disabled.id, moved.id]);

    expect(answer?.claimed).toEqual([]);
    expect(await notification(forDisabled.id)).toMatchObject({
      status: 'skipped',
      hint: expect.stringContaining('disabled or deleted'),
    });
    expect(await notification(forMoved.id)).toMatchObject({
      status: 'skipped',
      hint: expect.stringContaining('moved to another store'),
    });
    expect((await state(disabled.id)).next_due_at).toBeNull();
  });

  it('skips and folds on custom plans inside a round on generic ones, DUE_BOTS on its generic plan', async () => {
    const folding = await givenBotOnOwnRobot(t, { store_id: 509, rate_limit_per_minute: 2 });
    for (const dish of ['一', '二', '三', '四']) await givenMenuReport(t, { store_id: 509, dish_name: dish });
    const disabled = await givenBotOnOwnRobot(t, { store_id: 510 });
    await givenMenuReport(t, { store_id: 510 });
    await db().query(`UPDATE ding_talk_bots SET is_enabled = false WHERE id = $1`, [disabled.id]);
    const others: Array<{ id: number }> = await db().query(
      `SELECT id FROM ding_talk_bots WHERE id <> ALL($1::integer[])`,
      [[folding.id, disabled.id]],
    );
    // Each statement of the claim, with the plan cache mode it ran under (read on the same connection just before).
    const ranUnder: Array<{ statement: string; mode: string }> = [];
    const answer = await db().transaction(async (manager) => {
      await useGenericPlans(manager); // As a round does (DeliveryQueue.cycle).
      const query = manager.query.bind(manager);
      manager.query = (async (statement: string, parameters?: unknown[]) => {
        const [{ plan_cache_mode: mode }] =
          await query<Array<{ plan_cache_mode: string }>>('SHOW plan_cache_mode');
        ranUnder.push({ statement, mode });
        return query(statement, parameters);
      }) as typeof manager.query;
      return t.app.get(ClaimRepository).claim(manager, {
        owner: 'instance-a',
        maxClaims: 10,
        busyBotIds: others.map((bot) => bot.id),
        now: clock.now(),
        leaseMs: 60_000,
      });
    });

    expect(answer?.claimed.map((c) => c.kind)).toEqual(['digest']);
    const modeOf = (start: string) =>
      ranUnder.filter(({ statement }) => statement.trimStart().startsWith(start)).map(({ mode }) => mode);
    expect(modeOf('SELECT s.bot_id, s.rate_limited_until')).toEqual(['force_generic_plan']); // DUE_BOTS
    expect(modeOf('WITH doomed AS')).toEqual(['auto']); // skipping the disabled bot's report
    expect(modeOf('SELECT n.id, n.title')).toEqual(['auto']); // the fold's read of the backlog
    expect(modeOf('WITH leased AS')).toEqual(['force_generic_plan']); // LEASE_AND_APPLY, after both
  });
});
