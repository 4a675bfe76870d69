import { DataSource } from 'typeorm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../test/support/clocks';
import { stopDispatcher } from '../../test/support/delivery-queue';
import { givenWebhookBot } from '../../test/support/given';
import { useTestApp } from '../../test/support/use-test-app';
import { BotHealthJob } from './bot-health.job';
import { BotHealthService } from './bot-health.service';
import { sendHealthCtes } from './health-sql';

/** A refused send of bot $1 ended at $2, as the recording's statement writes it (health-sql.ts). */
const REFUSED = `WITH answers AS (
    SELECT $1::integer AS bot_id, $2::timestamptz AS at, 'permanent'::text AS outcome, 'failed'::text AS status,
           'errcode 310000: sign not match'::text AS detail, NULL::text AS hint, NULL::text AS pause_scope,
           NULL::timestamptz AS pause_until),
  ${sendHealthCtes('answers')}
  SELECT * FROM health_changes`;

/**
 * The 10-second look at what time alone changes (bot-health.job.ts), on the real database: here, that a bot
 * switched off says nothing, even when what its switch-off should have cleared was left (docs/bot-health.md).
 */
describe('BotHealthJob', () => {
  const clock = new ManualClock(Date.UTC(2026, 11, 1, 2, 0, 0));
  const { t } = useTestApp({ clock });
  const db = () => t.app.get(DataSource);
  beforeAll(() => stopDispatcher(t));

  const row = async (botId: number) =>
    (
      await db().query<
        Array<{
          health: string;
          reason: string | null;
          delivery: unknown;
          connection: unknown;
          alerted_broken: boolean;
        }>
      >(`SELECT health, reason, delivery, connection, alerted_broken FROM bot_health WHERE bot_id = $1`, [
        botId,
      ])
    )[0];

  /** A bot broken by a refused send and by refused credentials, its breakage told. */
  const givenBrokenBot = async (storeId: number) => {
    const bot = await givenWebhookBot(t, { store_id: storeId });
    const at = clock.now() + 1_000;
    await db().query(REFUSED, [bot.id, new Date(at)]);
    await t.app.get(BotHealthService).observe(bot.id, 'connection', at, () => ({
      health: 'broken',
      reason: 'credentials_refused',
      detail: 'HTTP 401',
      hint: null,
      since: at,
      until: null,
    }));
    await db().query(`UPDATE bot_health SET alerted_broken = true, alerted_at = $2 WHERE bot_id = $1`, [
      bot.id,
      new Date(at),
    ]);
    expect(await row(bot.id)).toMatchObject({ health: 'broken', alerted_broken: true });
    return bot.id;
  };

  it('clears a switched-off bot whose switch-off left its signals (its process stopped, its clear refused)', async () => {
    const off = await givenBrokenBot(801);
    const on = await givenBrokenBot(802);
    // Switched off without its clear (BotLifecycleListener runs after the change commits): as after a crash, or
    // a clear the pool's ceiling on a request's waiting queries refused; or a connection state told afterwards by
    // an instance that had not yet heard of the switch-off.
    await db().query(`UPDATE ding_talk_bots SET is_enabled = false WHERE id = $1`, [off]);
    clock.set(clock.now() + 10_000);

    await t.app.get(BotHealthJob).run();

    expect(await row(off)).toMatchObject({
      health: 'healthy',
      reason: null,
      delivery: null,
      connection: null,
      alerted_broken: false,
    });
    // Switched on, nothing is left to alert at once as a breakage of now.
    await db().query(`UPDATE ding_talk_bots SET is_enabled = true WHERE id = $1`, [off]);
    expect(await row(on)).toMatchObject({ health: 'broken', alerted_broken: true });
  });
});
