import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alerts when a bot breaks and when it recovers (src/bot-health/alerts/, docs/bot-health.md):
 * - `alert_destinations`: where they go, for the whole chain (`store_id` null) or one store: a bot of this service
 *   (its alert goes through the outbox, a notification of kind `alert`) and/or an HTTPS webhook, signed with
 *   `sealed_webhook_secret` (SecretBox, as the bots' secrets);
 * - `bot_alerts`: what was alerted, per bot (the history, and what a webhook's payload is made from);
 * - `alert_webhook_deliveries`: each alert for each webhook, sent with retries by the alert webhook sender;
 * - on `bot_health`, what the destinations were last told (`alerted_broken`, `alerted_at`): an alert once per
 *   change, a reminder while it lasts;
 * - on `bot_health_settings`, the quiet period against flapping and the reminder interval;
 * - `notifications.kind` takes `alert`.
 */
export class BotAlerts1764003500000 implements MigrationInterface {
  name = 'BotAlerts1764003500000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE alert_destinations (
        id                    SERIAL PRIMARY KEY,
        name                  VARCHAR(100) NOT NULL,
        store_id              INTEGER NULL,
        dingtalk_bot_id       INTEGER NULL REFERENCES ding_talk_bots (id) ON DELETE SET NULL,
        webhook_url           VARCHAR(2000) NULL,
        sealed_webhook_secret TEXT NULL,
        is_enabled            BOOLEAN NOT NULL DEFAULT true,
        created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at            TIMESTAMPTZ NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX idx_alert_destinations_store ON alert_destinations (store_id)`);
    await runner.query(`
      CREATE TABLE bot_alerts (
        id         BIGSERIAL PRIMARY KEY,
        bot_id     INTEGER NOT NULL REFERENCES ding_talk_bots (id) ON DELETE CASCADE,
        store_id   INTEGER NOT NULL,
        type       VARCHAR(16) NOT NULL CHECK (type IN ('broken', 'recovered', 'still_broken')),
        bot_name   VARCHAR(100) NOT NULL,
        bot_type   VARCHAR(16) NOT NULL,
        health     VARCHAR(16) NOT NULL,
        reason     VARCHAR(40) NULL,
        detail     TEXT NULL,
        hint       TEXT NULL,
        since      TIMESTAMPTZ NOT NULL,
        created_at TIMESTAMPTZ NOT NULL
      )`);
    await runner.query(`CREATE INDEX idx_bot_alerts_bot ON bot_alerts (bot_id, id)`);
    await runner.query(`
      CREATE TABLE alert_webhook_deliveries (
        id              BIGSERIAL PRIMARY KEY,
        alert_id        BIGINT NOT NULL REFERENCES bot_alerts (id) ON DELETE CASCADE,
        destination_id  INTEGER NOT NULL REFERENCES alert_destinations (id) ON DELETE CASCADE,
        status          VARCHAR(16) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TIMESTAMPTZ NOT NULL,
        lease_until     TIMESTAMPTZ NULL,
        http_status     INTEGER NULL,
        last_error      TEXT NULL,
        sent_at         TIMESTAMPTZ NULL
      )`);
    await runner.query(
      `CREATE INDEX idx_alert_webhook_deliveries_due ON alert_webhook_deliveries (next_attempt_at)
       WHERE status = 'pending'`,
    );
    await runner.query(`ALTER TABLE bot_health ADD COLUMN alerted_broken BOOLEAN NOT NULL DEFAULT false`);
    await runner.query(`ALTER TABLE bot_health ADD COLUMN alerted_at TIMESTAMPTZ NULL`);
    // The alert job reads the bots that are not healthy or were alerted broken: the few.
    await runner.query(
      `CREATE INDEX idx_bot_health_alerting ON bot_health (bot_id) WHERE health <> 'healthy' OR alerted_broken`,
    );
    await runner.query(`
      ALTER TABLE bot_health_settings
        ADD COLUMN alert_quiet_period_seconds INTEGER NOT NULL DEFAULT 30
          CHECK (alert_quiet_period_seconds BETWEEN 0 AND 3600),
        ADD COLUMN alert_reminder_hours INTEGER NOT NULL DEFAULT 24
          CHECK (alert_reminder_hours BETWEEN 1 AND 168)`);
    await runner.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check`);
    await runner.query(`
      ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
        CHECK (kind IN ('menu_report', 'batch', 'digest', 'daily_summary', 'test', 'alert'))`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DELETE FROM notifications WHERE kind = 'alert'`);
    await runner.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check`);
    await runner.query(`
      ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
        CHECK (kind IN ('menu_report', 'batch', 'digest', 'daily_summary', 'test'))`);
    await runner.query(
      `ALTER TABLE bot_health_settings DROP COLUMN alert_reminder_hours, DROP COLUMN alert_quiet_period_seconds`,
    );
    await runner.query(`DROP INDEX idx_bot_health_alerting`);
    await runner.query(`ALTER TABLE bot_health DROP COLUMN alerted_at, DROP COLUMN alerted_broken`);
    await runner.query(`DROP TABLE alert_webhook_deliveries`);
    await runner.query(`DROP TABLE bot_alerts`);
    await runner.query(`DROP TABLE alert_destinations`);
  }
}
