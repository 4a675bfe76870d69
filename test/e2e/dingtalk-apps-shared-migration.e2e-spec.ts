import { describe, expect, it } from 'vitest';
import { AppSharedSince1764003840000 } from '../../src/database/migrations/1764003840000-app-shared-since';
import { runMigrations } from '../../src/database/run-migrations';
import { useDatabaseBefore } from '../support/database-before-migration';

/**
 * Upgrading a database whose apps already serve bots: an app with bots of two or more stores is shared from then on
 * (its only bot without a group takes no group's messages, even when the others are deleted later); an app of one
 * store keeps that store as its first, and an app without bots has neither.
 */
describe('migration: apps shared by several stores', () => {
  const db = useDatabaseBefore(AppSharedSince1764003840000);

  it('marks the apps with bots of two stores shared, and records the store of the others', async () => {
    const app = async (clientId: string): Promise<number> => {
      const [row] = await db.source.query<Array<{ id: number }>>(
        `INSERT INTO dingtalk_apps (name, client_id, client_secret) VALUES ($1, $1, 'sealed') RETURNING id`,
        [clientId],
      );
      return row.id;
    };
    const bot = (appId: number, store: number, enabled = true) =>
      db.source.query(
        `INSERT INTO ding_talk_bots (name, store_id, bot_type, app_id, is_enabled) VALUES ($1, $2, 'stream', $3, $4)`,
        [`store ${store}`, store, appId, enabled],
      );
    const chain = await app('dingchain');
    await bot(chain, 3);
    await bot(chain, 2, false); // switched off: its store still has the app's robot in its group
    const single = await app('dingsingle');
    await bot(single, 7);
    await bot(single, 7);
    const unused = await app('dingunused');

    await runMigrations(db.source);

    const rows = await db.source.query<Array<{ id: number; first_store_id: number | null; shared: boolean }>>(
      `SELECT id, first_store_id, shared_since IS NOT NULL AS shared FROM dingtalk_apps ORDER BY id`,
    );
    expect(rows).toEqual([
      { id: chain, first_store_id: 3, shared: true },
      { id: single, first_store_id: 7, shared: false },
      { id: unused, first_store_id: null, shared: false },
    ]);
  });
});
