import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDingTalkBots1764000000000 implements MigrationInterface {
  name = 'CreateDingTalkBots1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ding_talk_bots (
        id                    SERIAL PRIMARY KEY,
        name                  VARCHAR(100) NOT NULL,
        store_id              INTEGER NOT NULL CHECK (store_id > 0),
        bot_type              VARCHAR(16) NOT NULL DEFAULT 'webhook' CHECK (bot_type IN ('webhook', 'stream')),
        msg_type              VARCHAR(16) NOT NULL DEFAULT 'markdown' CHECK (msg_type IN ('text', 'markdown')),
        is_enabled            BOOLEAN NOT NULL DEFAULT TRUE,
        webhook               TEXT NULL,
        secret                TEXT NULL,
        client_id             VARCHAR(128) NULL,
        client_secret         TEXT NULL,
        agent_id              VARCHAR(20) NULL,
        at_mobiles            JSONB NOT NULL DEFAULT '[]',
        at_all                BOOLEAN NOT NULL DEFAULT FALSE,
        user_ids              JSONB NOT NULL DEFAULT '[]',
        open_conversation_id  VARCHAR(255) NULL,
        at_user_ids           JSONB NOT NULL DEFAULT '[]',
        rate_limit_per_minute INTEGER NOT NULL DEFAULT 20 CHECK (rate_limit_per_minute BETWEEN 1 AND 20),
        template_id           INTEGER NULL,
        created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at            TIMESTAMPTZ NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX idx_ding_talk_bots_store_enabled ON ding_talk_bots (store_id, is_enabled)`,
    );
    // One DingTalk app, one Stream connection: DingTalk hands each message to a random connection of the app
    // (docs/dingtalk/stream-mode.md, Subscriptions), so two bots on one app would receive each other's messages.
    await queryRunner.query(
      `CREATE UNIQUE INDEX uq_ding_talk_bots_stream_client_id ON ding_talk_bots (client_id) WHERE bot_type = 'stream'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ding_talk_bots`);
  }
}
