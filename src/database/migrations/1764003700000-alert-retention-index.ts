import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The retention job deletes old alerts (bot_alerts), their webhook deliveries going with them (ON DELETE CASCADE),
 * and keeps an alert while one of its deliveries is still pending: both look a delivery up by its alert.
 */
export class AlertRetentionIndex1764003700000 implements MigrationInterface {
  name = 'AlertRetentionIndex1764003700000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE INDEX idx_alert_webhook_deliveries_alert ON alert_webhook_deliveries (alert_id)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX IF EXISTS idx_alert_webhook_deliveries_alert`);
  }
}
