import { describe, expect, it } from 'vitest';
import { OneBotPerGroup1764003710000 } from '../../src/database/migrations/1764003710000-one-bot-per-group';
import { runMigrations } from '../../src/database/run-migrations';
import { useDatabaseBefore } from '../support/database-before-migration';

/**
 * Upgrading a database where two stream bots of one app name the same group (allowed before the unique index): the
 * oldest keeps the group, the others lose it, and from then on the database refuses a second bot on the group.
 */
describe('migration: one bot of an app per group', () => {
  const db = useDatabaseBefore(OneBotPerGroup1764003710000);

  it('keeps the group on the oldest bot, clears the others, then refuses a duplicate', async () => {
    const [app] = await db.source.query<Array<{ id: number }>>(
      `INSERT INTO dingtalk_apps (name, client_id, client_secret) VALUES ('chain', 'dingchain', 'sealed') RETURNING id`,
    );
    const bot = async (store: number, group: string | null): Promise<number> => {
      const [row] = await db.source.query<Array<{ id: number }>>(
        `INSERT INTO ding_talk_bots (name, store_id, bot_type, app_id, open_conversation_id)
         VALUES ($1, $2, 'stream', $3, $4) RETURNING id`,
        [`store ${store}`, store, app.id, group],
      );
      return row.id;
    };
    const owner = await bot(2, 'cidStore2==');
    const taker = await bot(9, 'cidStore2==');
    const other = await bot(3, 'cidStore3==');
    const none = await bot(4, null);

    await runMigrations(db.source);

    const rows = await db.source.query<Array<{ id: number; open_conversation_id: string | null }>>(
      `SELECT id, open_conversation_id FROM ding_talk_bots ORDER BY id`,
    );
    expect(rows).toEqual([
      { id: owner, open_conversation_id: 'cidStore2==' },
      { id: taker, open_conversation_id: null },
      { id: other, open_conversation_id: 'cidStore3==' },
      { id: none, open_conversation_id: null },
    ]);
    await expect(
      db.source.query(`UPDATE ding_talk_bots SET open_conversation_id = 'cidStore2==' WHERE id = $1`, [
        taker,
      ]),
    ).rejects.toThrow(/uq_ding_talk_bots_app_group/);
  });
});
