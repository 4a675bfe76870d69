import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The test button's message is a notification of its own kind, `test`: it enters delivery through the outbox like
 * every other message, so it is in the delivery log and counts in its robot's window (docs/delivery.md, "The test
 * button").
 */
export class TestNotifications1764003300000 implements MigrationInterface {
  name = 'TestNotifications1764003300000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check`);
    await runner.query(`
      ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
        CHECK (kind IN ('menu_report', 'batch', 'digest', 'daily_summary', 'test'))`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DELETE FROM notifications WHERE kind = 'test'`);
    await runner.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check`);
    await runner.query(`
      ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
        CHECK (kind IN ('menu_report', 'batch', 'digest', 'daily_summary'))`);
  }
}
