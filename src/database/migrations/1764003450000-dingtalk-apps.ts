import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * DingTalk apps become a resource of their own (issue 23): a chain sets up one enterprise internal app, its robot in
 * every store's group, and any number of stream bots refer to it (`app_id`), each keeping its store, targets,
 * mentions, template and schedule. The app's credentials (client_id, the sealed client_secret, agent_id) move from
 * the bots to `dingtalk_apps`, where rotating a secret is one update for every bot.
 *
 * Today's per-bot credentials become apps, one per client_id. Under the old schema a client_id belonged to one
 * stream bot at most (uq_ding_talk_bots_stream_client_id), so identical credentials are one bot's; rows that share a
 * client_id anyway (an index dropped by hand) are merged into one app with the credentials of the bot written last:
 * DingTalk holds one secret per app at a time, and the sealed secrets cannot be compared in SQL (each is sealed with
 * its own IV). The unique index goes with the bots' client_id: one app may now serve many bots, and with it the 409
 * that told a store admin another store used an app key. A bot's agent_id stays, as a copy of its app's that the
 * bots' module keeps (see DingTalkBot.agentId).
 */
export class DingTalkApps1764003450000 implements MigrationInterface {
  name = 'DingTalkApps1764003450000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE dingtalk_apps (
        id            SERIAL PRIMARY KEY,
        name          VARCHAR(100) NOT NULL,
        client_id     VARCHAR(128) NOT NULL,
        client_secret TEXT NOT NULL,
        agent_id      VARCHAR(20) NULL,
        created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT uq_dingtalk_apps_client_id UNIQUE (client_id)
      )`);
    await runner.query(`
      -- A client_id holds 128 characters, a name 100: a long one is cut (an admin renames the app).
      INSERT INTO dingtalk_apps (name, client_id, client_secret, agent_id, created_at, updated_at)
      SELECT DISTINCT ON (client_id) LEFT(client_id, 100), client_id, client_secret, agent_id, created_at, updated_at
      FROM ding_talk_bots
      WHERE client_id IS NOT NULL AND client_secret IS NOT NULL
      ORDER BY client_id, updated_at DESC, id DESC`);
    await runner.query(
      `ALTER TABLE ding_talk_bots ADD COLUMN app_id INTEGER NULL REFERENCES dingtalk_apps (id) ON DELETE RESTRICT`,
    );
    await runner.query(`
      UPDATE ding_talk_bots b SET app_id = a.id, agent_id = a.agent_id
      FROM dingtalk_apps a
      WHERE a.client_id = b.client_id AND b.client_secret IS NOT NULL`);
    await runner.query(`UPDATE ding_talk_bots SET agent_id = NULL WHERE app_id IS NULL`);
    await runner.query(
      `CREATE INDEX idx_ding_talk_bots_app ON ding_talk_bots (app_id) WHERE app_id IS NOT NULL`,
    );
    await runner.query(`DROP INDEX IF EXISTS uq_ding_talk_bots_stream_client_id`);
    await runner.query(`ALTER TABLE ding_talk_bots DROP COLUMN client_id, DROP COLUMN client_secret`);
  }

  /** Back to credentials on each bot: refused (a unique violation) while an app serves several stream bots. */
  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE ding_talk_bots ADD COLUMN client_id VARCHAR(128) NULL, ADD COLUMN client_secret TEXT NULL`,
    );
    await runner.query(`
      UPDATE ding_talk_bots b SET client_id = a.client_id, client_secret = a.client_secret, agent_id = a.agent_id
      FROM dingtalk_apps a WHERE a.id = b.app_id`);
    await runner.query(
      `CREATE UNIQUE INDEX uq_ding_talk_bots_stream_client_id ON ding_talk_bots (client_id) WHERE bot_type = 'stream'`,
    );
    await runner.query(`ALTER TABLE ding_talk_bots DROP COLUMN app_id`);
    await runner.query(`DROP TABLE dingtalk_apps`);
  }
}
