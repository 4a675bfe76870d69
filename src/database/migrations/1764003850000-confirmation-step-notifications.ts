import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which queued notifications carry a report's reminder or escalation (docs/confirmation.md): a press that confirms
 * the report skips those still waiting in the queue (a reminder behind its bot's backlog, an escalation waiting for
 * a retry), so that nobody is told of an unconfirmed report after it was confirmed. A reminder or escalation is
 * filed under no report (menu_report_id null: it is not one of the report's deliveries), hence a table of its own.
 */
export class ConfirmationStepNotifications1764003850000 implements MigrationInterface {
  name = 'ConfirmationStepNotifications1764003850000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE confirmation_step_notifications (
        notification_id bigint PRIMARY KEY REFERENCES notifications (id) ON DELETE CASCADE,
        menu_report_id integer NOT NULL REFERENCES report_confirmations (menu_report_id) ON DELETE CASCADE)`);
    await runner.query(
      `CREATE INDEX idx_confirmation_step_notifications_report ON confirmation_step_notifications (menu_report_id)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE confirmation_step_notifications`);
  }
}
