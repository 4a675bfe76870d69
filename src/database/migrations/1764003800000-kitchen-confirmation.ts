import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Kitchen confirmation (issue 22, docs/confirmation.md): each store's settings, a report's confirmation (what the
 * escalation job works from), each confirmable notification's (its buttons, the link ticket of a webhook bot's
 * ActionCard) and every click, keyed by the click's dedupe key so that a redelivered or repeated click counts once.
 */
export class KitchenConfirmation1764003800000 implements MigrationInterface {
  name = 'KitchenConfirmation1764003800000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE confirmation_settings (
        store_id integer PRIMARY KEY,
        enabled boolean NOT NULL DEFAULT false,
        buttons jsonb NOT NULL,
        reminder_after_minutes integer,
        reminder_at_user_ids jsonb NOT NULL DEFAULT '[]',
        reminder_at_mobiles jsonb NOT NULL DEFAULT '[]',
        escalation_after_minutes integer,
        escalation_bot_id integer REFERENCES ding_talk_bots (id) ON DELETE SET NULL,
        updated_at timestamptz NOT NULL DEFAULT now())`);
    await runner.query(`
      CREATE TABLE report_confirmations (
        menu_report_id integer PRIMARY KEY REFERENCES menu_reports (id) ON DELETE CASCADE,
        store_id integer NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'unconfirmed',
        reported_at timestamptz NOT NULL,
        confirmed_at timestamptz,
        confirmed_notification_id bigint,
        action varchar(32),
        by_user_id varchar(64),
        by_name varchar(100),
        via varchar(8),
        action_at timestamptz,
        reminder_due_at timestamptz,
        reminder_state varchar(16) NOT NULL DEFAULT 'none',
        escalation_due_at timestamptz,
        escalation_state varchar(16) NOT NULL DEFAULT 'none')`);
    // What the escalation job looks for: an unconfirmed report with a step still due.
    await runner.query(`
      CREATE INDEX idx_report_confirmations_reminder_due ON report_confirmations (reminder_due_at)
      WHERE reminder_state = 'pending'`);
    await runner.query(`
      CREATE INDEX idx_report_confirmations_escalation_due ON report_confirmations (escalation_due_at)
      WHERE escalation_state = 'pending'`);
    await runner.query(`
      CREATE TABLE notification_confirmations (
        notification_id bigint PRIMARY KEY REFERENCES notifications (id) ON DELETE CASCADE,
        menu_report_id integer NOT NULL REFERENCES report_confirmations (menu_report_id) ON DELETE CASCADE,
        store_id integer NOT NULL,
        bot_id integer NOT NULL,
        status varchar(16) NOT NULL,
        reason text,
        ticket varchar(24) UNIQUE,
        buttons jsonb NOT NULL DEFAULT '[]',
        action varchar(32),
        by_user_id varchar(64),
        by_name varchar(100),
        via varchar(8),
        confirmed_at timestamptz,
        action_at timestamptz)`);
    await runner.query(
      `CREATE INDEX idx_notification_confirmations_report ON notification_confirmations (menu_report_id)`,
    );
    await runner.query(`
      CREATE TABLE confirmation_clicks (
        dedupe_key varchar(200) PRIMARY KEY,
        notification_id bigint NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
        action varchar(32) NOT NULL,
        user_id varchar(64) NOT NULL,
        user_name varchar(100),
        via varchar(8) NOT NULL,
        effect varchar(16) NOT NULL,
        clicked_at timestamptz NOT NULL)`);
    await runner.query(
      `CREATE INDEX idx_confirmation_clicks_notification ON confirmation_clicks (notification_id)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE confirmation_clicks`);
    await runner.query(`DROP TABLE notification_confirmations`);
    await runner.query(`DROP TABLE report_confirmations`);
    await runner.query(`DROP TABLE confirmation_settings`);
  }
}
