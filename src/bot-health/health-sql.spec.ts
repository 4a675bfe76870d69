import { DataSource } from 'typeorm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../test/support/clocks';
import { stopDispatcher } from '../../test/support/delivery-queue';
import { givenWebhookBot } from '../../test/support/given';
import { useTestApp } from '../../test/support/use-test-app';
import { DINGTALK_HINTS } from '../dingtalk/dingtalk-hints';
import { DeliveryOutcome } from '../events/bot-health.events';
import { BotHealthService } from './bot-health.service';
import { HealthSignal } from './health-signals';
import { sendHealthCtes } from './health-sql';

/** The CTEs alone, over answers given as arrays: what the recording's statement does to the bots' health. */
const APPLY = `WITH answers AS (
    SELECT * FROM unnest($1::integer[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                         $8::timestamptz[]) AS a(bot_id, at, outcome, status, detail, hint, pause_scope, pause_until)),
  ${sendHealthCtes('answers')}
  SELECT * FROM health_changes`;

/**
 * What DingTalk's answers say of a bot (health-sql.ts's sendHealthCtes), on the real database: the answers as the
 * delivery queue's recording hands them over, the bot's row as it is then.
 */
describe('what recorded sends say of a bot', () => {
  const clock = new ManualClock(Date.UTC(2026, 11, 1, 2, 0, 0));
  const { t } = useTestApp({ clock });
  const db = () => t.app.get(DataSource);
  beforeAll(() => stopDispatcher(t));

  let store = 700;
  /** A new bot, and the moment after its creation that the test's answers count from. */
  const givenBot = async () => {
    const bot = await givenWebhookBot(t, { store_id: store++ });
    return { id: bot.id, t0: clock.now() + 1_000 };
  };
  const answer = async (botId: number, fields: Partial<DeliveryOutcome> & Pick<DeliveryOutcome, 'at'>) => {
    const a: DeliveryOutcome = {
      botId,
      outcome: 'ok',
      status: 'sent',
      detail: null,
      hint: null,
      pause: null,
      ...fields,
    };
    return db().query<Array<{ bot_id: number; was: string; health: string }>>(APPLY, [
      [a.botId],
      [new Date(a.at)],
      [a.outcome],
      [a.status],
      [a.detail],
      [a.hint],
      [a.pause?.scope ?? null],
      [a.pause ? new Date(a.pause.until) : null],
    ]);
  };
  const row = async (botId: number) =>
    (
      await db().query<
        Array<{
          health: string;
          reason: string | null;
          detail: string | null;
          hint: string | null;
          since: Date;
          delivery: HealthSignal | null;
          delivery_seen_at: Date | null;
        }>
      >(
        `SELECT health, reason, detail, hint, since, delivery, delivery_seen_at FROM bot_health WHERE bot_id = $1`,
        [botId],
      )
    )[0];

  it('reads a permanent refusal as broken, with the answer and the hint of the delivery log; an accepted send ends it', async () => {
    const { id, t0 } = await givenBot();
    const refused = {
      outcome: 'permanent',
      status: 'failed',
      detail: 'errcode 310000: sign not match',
      hint: DINGTALK_HINTS.signature,
    } as const;
    expect(await answer(id, { ...refused, at: t0 })).toEqual([
      expect.objectContaining({ bot_id: id, was: 'healthy', health: 'broken' }),
    ]);
    expect(await row(id)).toEqual({
      health: 'broken',
      reason: 'send_refused',
      detail: refused.detail,
      hint: refused.hint,
      since: new Date(t0),
      delivery: {
        health: 'broken',
        reason: 'send_refused',
        detail: refused.detail,
        hint: refused.hint,
        since: t0,
        until: null,
      },
      delivery_seen_at: new Date(t0),
    });

    expect(await answer(id, { at: t0 + 1_000 })).toEqual([
      expect.objectContaining({ was: 'broken', health: 'healthy' }),
    ]);
    expect(await row(id)).toMatchObject({
      health: 'healthy',
      reason: null,
      since: new Date(t0 + 1_000),
      delivery: null,
    });
  });

  it('reads a transient error as degraded while retries remain, broken once they ran out', async () => {
    const { id, t0 } = await givenBot();
    await answer(id, { outcome: 'transient', status: 'retrying', at: t0 });
    expect(await row(id)).toMatchObject({ health: 'degraded', reason: 'retrying' });
    await answer(id, { outcome: 'token_expired', status: 'failed', at: t0 + 1_000 });
    expect(await row(id)).toMatchObject({
      health: 'broken',
      reason: 'retries_exhausted',
      since: new Date(t0 + 1_000),
    });
  });

  it('keeps a send out of retries or refused for good broken when a later send only retries or is throttled; an accepted send ends it', async () => {
    for (const [outcome, status, reason] of [
      ['permanent', 'failed', 'send_refused'],
      ['transient', 'failed', 'retries_exhausted'],
    ] as const) {
      const { id, t0 } = await givenBot();
      await answer(id, { outcome, status, at: t0 });
      const broken = await row(id);
      expect(broken).toMatchObject({ health: 'broken', reason });
      await answer(id, { outcome: 'transient', status: 'retrying', at: t0 + 1_000 });
      const throttle = { scope: 'robot', until: t0 + 600_000 } as const;
      await answer(id, { outcome: 'throttled', status: 'retrying', pause: throttle, at: t0 + 2_000 });
      expect(await row(id)).toEqual({ ...broken, delivery_seen_at: new Date(t0 + 2_000) });
      await answer(id, { at: t0 + 3_000 });
      expect(await row(id)).toMatchObject({ health: 'healthy', delivery: null });
    }
    // A bot only degraded (retrying) is not held: the next answer decides.
    const { id, t0 } = await givenBot();
    await answer(id, { outcome: 'transient', status: 'retrying', at: t0 });
    await answer(id, { outcome: 'transient', status: 'failed', at: t0 + 1_000 });
    expect(await row(id)).toMatchObject({ health: 'broken', reason: 'retries_exhausted' });
  });

  it('reads a throttle as degraded until its pause ends; the used-up organisation quota as broken until it resets', async () => {
    const cases = [
      ['robot', 'degraded', 'throttled'],
      ['cluster', 'degraded', 'ip_blocked'],
      ['app', 'broken', 'quota_used_up'],
    ] as const;
    for (const [scope, health, reason] of cases) {
      const { id, t0 } = await givenBot();
      await answer(id, {
        outcome: 'throttled',
        status: 'pending',
        pause: { scope, until: t0 + 600_000 },
        at: t0,
      });
      const written = await row(id);
      expect(written).toMatchObject({ health, reason });
      expect(written.delivery).toMatchObject({ health, reason, since: t0, until: t0 + 600_000 });
    }
  });

  it('keeps the since of the same trouble, and starts a new one for another', async () => {
    const { id, t0 } = await givenBot();
    await answer(id, { outcome: 'transient', status: 'retrying', at: t0 });
    await answer(id, { outcome: 'transient', status: 'retrying', at: t0 + 1_000 });
    expect((await row(id)).delivery).toMatchObject({ reason: 'retrying', since: t0 });
    await answer(id, { outcome: 'transient', status: 'failed', at: t0 + 2_000 });
    expect((await row(id)).delivery).toMatchObject({ reason: 'retries_exhausted', since: t0 + 2_000 });
  });

  it('applies no answer older than the last one applied', async () => {
    const { id, t0 } = await givenBot();
    await answer(id, { outcome: 'permanent', status: 'failed', at: t0 + 2_000 });
    expect(await answer(id, { at: t0 + 1_000 })).toEqual([]);
    expect(await row(id)).toMatchObject({ health: 'broken', delivery_seen_at: new Date(t0 + 2_000) });
    await answer(id, { at: t0 + 3_000 });
    expect(await row(id)).toMatchObject({ health: 'healthy' });
  });

  it('makes the worse of the two sources the health, between two as bad the older', async () => {
    const health = t.app.get(BotHealthService);
    const { id, t0 } = await givenBot();
    const reconnecting: HealthSignal = {
      health: 'degraded',
      reason: 'reconnecting',
      detail: 'ECONNRESET',
      hint: DINGTALK_HINTS.network,
      since: t0,
      until: null,
    };
    await health.observe(id, 'connection', t0, () => reconnecting);
    expect(await row(id)).toMatchObject({ health: 'degraded', reason: 'reconnecting', since: new Date(t0) });
    // As bad and newer: the connection's, the older, stays.
    await answer(id, { outcome: 'transient', status: 'retrying', at: t0 + 1_000 });
    expect(await row(id)).toMatchObject({ health: 'degraded', reason: 'reconnecting', since: new Date(t0) });
    // Worse: the delivery's, from when it began.
    await answer(id, { outcome: 'permanent', status: 'failed', at: t0 + 2_000 });
    expect(await row(id)).toMatchObject({
      health: 'broken',
      reason: 'send_refused',
      since: new Date(t0 + 2_000),
    });
    // The refusal ended: the connection's again, since then (an improvement).
    await answer(id, { at: t0 + 3_000 });
    expect(await row(id)).toMatchObject({
      health: 'degraded',
      reason: 'reconnecting',
      since: new Date(t0 + 3_000),
    });
    await health.observe(id, 'connection', t0 + 4_000, () => null);
    expect(await row(id)).toMatchObject({ health: 'healthy', since: new Date(t0 + 4_000) });
  });

  it('says nothing of a bot switched off, and makes the row of a bot that has none', async () => {
    const { id, t0 } = await givenBot();
    await db().query(`UPDATE ding_talk_bots SET is_enabled = false WHERE id = $1`, [id]);
    expect(await answer(id, { outcome: 'permanent', status: 'failed', at: t0 })).toEqual([]);
    expect(await row(id)).toMatchObject({ health: 'healthy', delivery: null });

    await db().query(`UPDATE ding_talk_bots SET is_enabled = true WHERE id = $1`, [id]);
    await db().query(`DELETE FROM bot_health WHERE bot_id = $1`, [id]);
    expect(await answer(id, { outcome: 'permanent', status: 'failed', at: t0 + 1_000 })).toEqual([
      expect.objectContaining({ bot_id: id, was: 'healthy', health: 'broken' }),
    ]);
    expect(await row(id)).toMatchObject({
      health: 'broken',
      reason: 'send_refused',
      since: new Date(t0 + 1_000),
      delivery: expect.objectContaining({ reason: 'send_refused', since: t0 + 1_000 }),
    });
  });
});
