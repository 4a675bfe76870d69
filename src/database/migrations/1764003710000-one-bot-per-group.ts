import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A group is one store's (issue 23): of the stream bots of one app, one at most has a given `open_conversation_id`,
 * or the store admin who names another store's group would take its messages and post into it. Older data may hold
 * such pairs: the oldest bot (lowest id) keeps the group, the others lose it (their `open_conversation_id` is
 * cleared, each named in the migration's log), so the migration never stops a deploy; their store admins set the
 * right group again (docs/dingtalk-apps.md).
 */
export class OneBotPerGroup1764003710000 implements MigrationInterface {
  name = 'OneBotPerGroup1764003710000';

  async up(runner: QueryRunner): Promise<void> {
    const cleared = (await runner.query(`
      UPDATE ding_talk_bots b SET open_conversation_id = NULL
      WHERE b.app_id IS NOT NULL AND b.open_conversation_id IS NOT NULL
        AND EXISTS (SELECT 1 FROM ding_talk_bots o
                    WHERE o.app_id = b.app_id AND o.open_conversation_id = b.open_conversation_id AND o.id < b.id)
      RETURNING b.id, b.app_id`)) as unknown[];
    // The pg driver answers an UPDATE with [rows, count], the embedded one with the rows.
    const rows = (Array.isArray(cleared[0]) ? cleared[0] : cleared) as Array<{ id: number; app_id: number }>;
    if (rows.length > 0) {
      runner.connection.logger.log(
        'warn',
        `OneBotPerGroup: cleared open_conversation_id of bots ${rows.map((row) => `${row.id} (app ${row.app_id})`).join(', ')}: ` +
          'an older bot of the same app has that group',
      );
    }
    await runner.query(`
      CREATE UNIQUE INDEX uq_ding_talk_bots_app_group ON ding_talk_bots (app_id, open_conversation_id)
      WHERE app_id IS NOT NULL AND open_conversation_id IS NOT NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX uq_ding_talk_bots_app_group`);
  }
}
