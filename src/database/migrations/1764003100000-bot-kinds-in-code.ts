import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The kinds of bot are the code's (dingtalk-bot/bot-kinds.ts: one folder and one registration each), so the table no
 * longer lists them: its CHECK named webhook and stream, and a new kind would have needed a migration of its own.
 * bot_type stays a kind's name in its shape; the service refuses a type no kind registered (the API's 400).
 */
export class BotKindsInCode1764003100000 implements MigrationInterface {
  name = 'BotKindsInCode1764003100000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ding_talk_bots DROP CONSTRAINT ding_talk_bots_bot_type_check`);
    await runner.query(
      `ALTER TABLE ding_talk_bots ADD CONSTRAINT ding_talk_bots_bot_type_check CHECK (bot_type ~ '^[a-z][a-z0-9_]*$')`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ding_talk_bots DROP CONSTRAINT ding_talk_bots_bot_type_check`);
    await runner.query(
      `ALTER TABLE ding_talk_bots ADD CONSTRAINT ding_talk_bots_bot_type_check CHECK (bot_type IN ('webhook', 'stream'))`,
    );
  }
}
