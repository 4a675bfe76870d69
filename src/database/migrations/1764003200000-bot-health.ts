import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A bot's health (src/bot-health/, docs/bot-health.md), kept in the database so that it holds across restarts
 * and reads the same on every instance: the health the API shows (`health`, `reason`, `detail`, `hint`, since when),
 * and what each source last said (`delivery`, `connection`: a signal as JSON, or null when that source sees nothing
 * wrong) with when it was observed. One row per bot, written when the bot is created (and here for the bots that
 * exist), so that the metrics count healthy bots too.
 *
 * `bot_health_settings`: how health is judged, one row for the whole service (GET/PUT /api/v1/bot-health/settings):
 * read by every instance, changed at run time without a restart.
 */
export class BotHealth1764003200000 implements MigrationInterface {
  name = 'BotHealth1764003200000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE bot_health (
        bot_id             INTEGER PRIMARY KEY REFERENCES ding_talk_bots (id) ON DELETE CASCADE,
        health             VARCHAR(16) NOT NULL DEFAULT 'healthy'
                           CHECK (health IN ('healthy', 'degraded', 'broken')),
        reason             VARCHAR(40) NULL,
        detail             TEXT NULL,
        hint               TEXT NULL,
        since              TIMESTAMPTZ NOT NULL DEFAULT now(),
        changed_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
        delivery           JSONB NULL,
        delivery_seen_at   TIMESTAMPTZ NULL,
        connection         JSONB NULL,
        connection_seen_at TIMESTAMPTZ NULL
      )`);
    // The lists' health filter and the periodic check read the few bots that are not healthy.
    await runner.query(
      `CREATE INDEX idx_bot_health_unhealthy ON bot_health (health) WHERE health <> 'healthy'`,
    );
    await runner.query(`INSERT INTO bot_health (bot_id) SELECT id FROM ding_talk_bots`);
    await runner.query(`
      CREATE TABLE bot_health_settings (
        id                        SMALLINT PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        unreachable_after_seconds INTEGER NOT NULL DEFAULT 300
                                  CHECK (unreachable_after_seconds BETWEEN 10 AND 86400),
        updated_at                TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_by                VARCHAR(255) NULL
      )`);
    await runner.query(`INSERT INTO bot_health_settings (id) VALUES (1)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE bot_health_settings`);
    await runner.query(`DROP TABLE bot_health`);
  }
}
