import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the daily retention job (src/retention/). Its batches take the oldest finished notifications and
 * the oldest handled bot messages; without these each batch would read the whole table. Deleting a digest sets
 * `merged_into` to NULL on the rows folded into it (the foreign key's ON DELETE SET NULL), which looks them up by
 * `merged_into`: without an index, once per deleted row, a full scan.
 */
export class RetentionIndexes1764000900000 implements MigrationInterface {
  name = 'RetentionIndexes1764000900000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE INDEX idx_notifications_finished_created ON notifications (created_at)
       WHERE status IN ('sent', 'merged', 'skipped')`,
    );
    await runner.query(
      `CREATE INDEX idx_notifications_merged_into ON notifications (merged_into) WHERE merged_into IS NOT NULL`,
    );
    await runner.query(
      `CREATE INDEX idx_received_bot_messages_handled_received ON received_bot_messages (received_at)
       WHERE handled_at IS NOT NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX idx_received_bot_messages_handled_received`);
    await runner.query(`DROP INDEX idx_notifications_merged_into`);
    await runner.query(`DROP INDEX idx_notifications_finished_created`);
  }
}
