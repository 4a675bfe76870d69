import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Kitchen confirmation's steps (docs/confirmation.md): notifications of kind `reminder`, to the report's bots when
 * nobody confirmed it by the store's deadline, and `escalation`, to the store's escalation bot at the second one;
 * when each went, on the report's confirmation.
 */
export class ConfirmationSteps1764003830000 implements MigrationInterface {
  name = 'ConfirmationSteps1764003830000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check`);
    await runner.query(`
      ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
        CHECK (kind IN ('menu_report', 'batch', 'digest', 'daily_summary', 'test', 'alert', 'reminder', 'escalation'))`);
    await runner.query(`
      ALTER TABLE report_confirmations ADD COLUMN reminded_at timestamptz, ADD COLUMN escalated_at timestamptz`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE report_confirmations DROP COLUMN reminded_at, DROP COLUMN escalated_at`);
    await runner.query(`DELETE FROM notifications WHERE kind IN ('reminder', 'escalation')`);
    await runner.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check`);
    await runner.query(`
      ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
        CHECK (kind IN ('menu_report', 'batch', 'digest', 'daily_summary', 'test', 'alert'))`);
  }
}
