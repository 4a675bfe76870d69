import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A message over DingTalk's size limit is written as numbered parts, one row each. The rows of one message share
 * `part_of` (NULL: a message in one piece), so that the queue can hold a part back while an earlier part of its
 * message still waits, a retry included; the index finds a part's earlier parts (ids ascend in part order).
 */
export class NotificationParts1764002100000 implements MigrationInterface {
  name = 'NotificationParts1764002100000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE notifications ADD COLUMN part_of UUID NULL`);
    await runner.query(
      `CREATE INDEX idx_notifications_part_of ON notifications (part_of, id) WHERE part_of IS NOT NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX idx_notifications_part_of`);
    await runner.query(`ALTER TABLE notifications DROP COLUMN part_of`);
  }
}
