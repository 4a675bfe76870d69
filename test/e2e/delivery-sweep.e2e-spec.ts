import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { DeliveryQueue } from '../../src/notify/delivery/queue/delivery-queue';
import { givenBotOnOwnRobot, stopDispatcher } from '../support/delivery-queue';
import { givenMenuReport } from '../support/given';
import { useTestApp } from '../support/use-test-app';
import { waitForValue } from '../support/wait-for';

/**
 * The sweep, the delivery queue's safety net (queue-upkeep.repository.ts): a bot whose waiting notifications have no
 * due moment is made due, and a bot that has one is left alone: its state row is not even locked, so the report
 * writes that mark it due never wait behind the sweep.
 */
describe('the delivery sweep', () => {
  const { t } = useTestApp({ env: { DELIVERY_POLL_INTERVAL_MS: String(10 * 60_000) } });
  const nextDueOf = async (botId: number): Promise<Date | null> => {
    const [row]: Array<{ next_due_at: Date | null } | undefined> = await t.app
      .get(DataSource)
      .query('SELECT next_due_at FROM bot_delivery_states WHERE bot_id = $1', [botId]);
    return row?.next_due_at ?? null;
  };

  it('makes due a bot whose waiting notifications nobody marked due', async () => {
    await stopDispatcher(t);
    const bot = await givenBotOnOwnRobot(t, { store_id: 1301 });
    await givenMenuReport(t, { store_id: 1301 });
    await t.app
      .get(DataSource)
      .query('UPDATE bot_delivery_states SET next_due_at = NULL WHERE bot_id = $1', [bot.id]);

    await t.app.get(DeliveryQueue).sweep(Date.now());

    expect(await nextDueOf(bot.id)).not.toBeNull();
  });

  it('makes due a bot whose waiting notifications have no state row at all', async () => {
    await stopDispatcher(t);
    const bot = await givenBotOnOwnRobot(t, { store_id: 1303 });
    await givenMenuReport(t, { store_id: 1303 });
    await t.app.get(DataSource).query('DELETE FROM bot_delivery_states WHERE bot_id = $1', [bot.id]);

    await t.app.get(DeliveryQueue).sweep(Date.now());

    expect(await nextDueOf(bot.id)).not.toBeNull();
  });

  it('makes due a bot whose due moment is far off while a notification of it is due now', async () => {
    // What a round of another instance leaves when it held the state row as the report was written, and the
    // instance that wrote the report stopped before marking the bot (outbox.repository.ts markDueUnlessHeld).
    await stopDispatcher(t);
    const bot = await givenBotOnOwnRobot(t, { store_id: 1304 });
    await givenMenuReport(t, { store_id: 1304 });
    const db = t.app.get(DataSource);
    await db.query(
      `UPDATE bot_delivery_states SET next_due_at = now() + interval '1 hour' WHERE bot_id = $1`,
      [bot.id],
    );
    const at = Date.now();

    await t.app.get(DeliveryQueue).sweep(at);

    expect((await nextDueOf(bot.id))?.getTime()).toBe(at);
  });

  it('leaves alone a due moment a robot window away, a busy bot and a paused one', async () => {
    await stopDispatcher(t);
    const db = t.app.get(DataSource);
    const set = async (storeId: number, assignments: string) => {
      const bot = await givenBotOnOwnRobot(t, { store_id: storeId });
      await givenMenuReport(t, { store_id: storeId });
      await db.query(`UPDATE bot_delivery_states SET ${assignments} WHERE bot_id = $1`, [bot.id]);
      return { id: bot.id, due: await nextDueOf(bot.id) };
    };
    const windowAway = await set(1305, `next_due_at = now() + interval '61 seconds'`);
    const busy = await set(
      1306,
      `next_due_at = now() + interval '1 hour', busy_until = now() + interval '1 hour', busy_owner = 'elsewhere'`,
    );
    const paused = await set(
      1307,
      `next_due_at = now() + interval '1 hour', rate_limited_until = now() + interval '1 hour'`,
    );

    await t.app.get(DeliveryQueue).sweep(Date.now());

    for (const bot of [windowAway, busy, paused]) expect(await nextDueOf(bot.id)).toEqual(bot.due);
  });

  it("leaves alone a bot whose robot or app is paused (a sibling's throttle answer, the app's monthly quota)", async () => {
    await stopDispatcher(t);
    const db = t.app.get(DataSource);
    const pausedBehind = async (storeId: number, keyColumn: 'robot_key' | 'app_key') => {
      const bot = await givenBotOnOwnRobot(t, { store_id: storeId });
      await givenMenuReport(t, { store_id: storeId });
      const key = `sweep-test:${storeId}`;
      await db.query(`UPDATE ding_talk_bots SET ${keyColumn} = $2 WHERE id = $1`, [bot.id, key]);
      await db.query(
        `INSERT INTO robot_rate_windows (robot_key, paused_until) VALUES ($1, now() + interval '1 hour')`,
        [key],
      );
      await db.query(
        `UPDATE bot_delivery_states SET next_due_at = now() + interval '1 hour' WHERE bot_id = $1`,
        [bot.id],
      );
      return { id: bot.id, due: await nextDueOf(bot.id) };
    };
    const robotPaused = await pausedBehind(1308, 'robot_key');
    const appPaused = await pausedBehind(1309, 'app_key');

    await t.app.get(DeliveryQueue).sweep(Date.now());

    for (const bot of [robotPaused, appPaused]) expect(await nextDueOf(bot.id)).toEqual(bot.due);
  });

  it('leaves a bot that is already due alone, without waiting for its state row', async () => {
    await stopDispatcher(t);
    const bot = await givenBotOnOwnRobot(t, { store_id: 1302 });
    await givenMenuReport(t, { store_id: 1302 });
    const due = await nextDueOf(bot.id);
    expect(due).not.toBeNull();
    // Another transaction (a round, a report write) holds the bot's state row.
    const holder = t.app.get(DataSource).createQueryRunner();
    await holder.startTransaction();
    try {
      await holder.query('SELECT 1 FROM bot_delivery_states WHERE bot_id = $1 FOR UPDATE', [bot.id]);
      const [{ pid }]: Array<{ pid: number }> = await holder.query('SELECT pg_backend_pid() AS pid');
      let settled = false;
      const sweep = t.app
        .get(DeliveryQueue)
        .sweep(Date.now())
        .finally(() => (settled = true));
      // Whichever comes first: the sweep's end, or a statement waiting for the holder's lock.
      const outcome = await waitForValue(async () => {
        if (settled) return 'finished';
        const [{ waiting }]: Array<{ waiting: number }> = await t.app
          .get(DataSource)
          .query(
            'SELECT count(*)::integer AS waiting FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))',
            [pid],
          );
        return waiting > 0 ? 'waited for the lock' : undefined;
      }, 'the sweep');
      expect(outcome).toBe('finished');
      await sweep;
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
    expect(await nextDueOf(bot.id)).toEqual(due);
  });
});
