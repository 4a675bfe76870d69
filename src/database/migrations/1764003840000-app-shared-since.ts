import { MigrationInterface, QueryRunner } from 'typeorm';
import { rowsOf } from '../query-rows';

/**
 * Whether an app has ever served more than one store (issue 23 review): an app's only enabled stream bot without a
 * group takes every group's messages, the shape of an app upgraded from one app per store. On an app that other
 * stores' bots used, that bot, left alone when they are deleted, took their groups again: 报菜 in store 2's group
 * became a report of the remaining store, and nothing recorded whose group it was. So the app records it:
 *
 * - `first_store_id`: the store of the first bot attached to the app (kept when that bot is deleted);
 * - `shared_since`: when a bot of another store was first attached. Never cleared: the other stores' groups still
 *   have the app's robot, whether or not their bots are still here.
 *
 * Both are written by one statement in the transaction that attaches a bot (DingTalkAppRepository.markAttached).
 * Today's apps are filled from their bots: an app with bots of two or more stores is shared from now on (the
 * migration's log names them), an app with bots of one store has that store.
 */
export class AppSharedSince1764003840000 implements MigrationInterface {
  name = 'AppSharedSince1764003840000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE dingtalk_apps ADD COLUMN first_store_id INTEGER NULL, ADD COLUMN shared_since TIMESTAMPTZ NULL`);
    const rows = rowsOf<{ id: number; shared: boolean }>(
      await runner.query(`
      UPDATE dingtalk_apps a
      SET first_store_id = s.first_store_id, shared_since = CASE WHEN s.stores > 1 THEN now() END
      FROM (SELECT app_id, (array_agg(store_id ORDER BY id))[1] AS first_store_id,
                   count(DISTINCT store_id) AS stores
            FROM ding_talk_bots WHERE app_id IS NOT NULL GROUP BY app_id) s
      WHERE a.id = s.app_id
      RETURNING a.id, a.shared_since IS NOT NULL AS shared`),
    );
    const shared = rows.filter((row) => row.shared).map((row) => row.id);
    if (shared.length > 0) {
      runner.connection.logger.log(
        'warn',
        `AppSharedSince: apps ${shared.sort((a, b) => a - b).join(', ')} have bots of several stores: a bot of ` +
          "theirs without open_conversation_id takes no group's messages, even when it is the only one left",
      );
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE dingtalk_apps DROP COLUMN shared_since, DROP COLUMN first_store_id`);
  }
}
