import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Daily summaries. A bot's `daily_summary_at` ("HH:MM" in REPORT_TIMEZONE, null: off) says when it gets the day's
 * totals; `daily_summary_since` is when that setting was last switched on or changed, so that a bot given a time
 * already past today waits for tomorrow. `daily_summaries` holds one row per bot and day that was summarised: the
 * summary's notifications are written in the same transaction as its row, and the primary key lets exactly one
 * instance (or run) write them, whatever restarts or races happen.
 */
export class DailySummary1764000700000 implements MigrationInterface {
  name = 'DailySummary1764000700000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE ding_talk_bots
        ADD COLUMN daily_summary_at    VARCHAR(5) NULL
          CONSTRAINT ck_ding_talk_bots_daily_summary_at CHECK (daily_summary_at ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
        ADD COLUMN daily_summary_since TIMESTAMPTZ NULL`);
    // The minute job reads the few bots that want a summary, not every bot.
    await runner.query(
      `CREATE INDEX idx_ding_talk_bots_daily_summary ON ding_talk_bots (daily_summary_at)
       WHERE daily_summary_at IS NOT NULL`,
    );
    await runner.query(`
      CREATE TABLE daily_summaries (
        bot_id     INTEGER NOT NULL REFERENCES ding_talk_bots (id) ON DELETE CASCADE,
        day        DATE NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (bot_id, day)
      )`);
    await runner.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check`);
    await runner.query(`
      ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
        CHECK (kind IN ('menu_report', 'batch', 'digest', 'daily_summary'))`);
    await runner.query(`
      ALTER TABLE message_templates
        ADD COLUMN purpose VARCHAR(16) NOT NULL DEFAULT 'report'
          CONSTRAINT ck_message_templates_purpose CHECK (purpose IN ('report', 'daily_summary'))`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE message_templates DROP COLUMN purpose`);
    await runner.query(`DELETE FROM notifications WHERE kind = 'daily_summary'`);
    await runner.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check`);
    await runner.query(`
      ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
        CHECK (kind IN ('menu_report', 'batch', 'digest'))`);
    await runner.query(`DROP TABLE daily_summaries`);
    await runner.query(`DROP INDEX idx_ding_talk_bots_daily_summary`);
    await runner.query(
      `ALTER TABLE ding_talk_bots DROP COLUMN daily_summary_at, DROP COLUMN daily_summary_since`,
    );
  }
}
