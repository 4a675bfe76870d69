import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * DingTalk counts a robot's messages, not a bot row's: two bots with one webhook access_token (one group robot
 * shared by two stores) share 20 messages a minute (docs/dingtalk/custom-robot.md). The rate window and the
 * throttle pause move from the bot's delivery state to a row per robot, keyed by a hash of its identity
 * (dingtalk/robot-identity.ts); an app's row (`a:…`) holds a pause of all its bots (the organisation's monthly
 * quota). Times in these rows come from the database's clock (database/database-time.ts).
 *
 * `robot_key` / `app_key` of a bot are computed from its opened credentials when they are saved; rows from before
 * this migration get theirs at the next start (DingTalkBotService), and until then are counted on their own.
 */
export class RobotRateWindows1764002200000 implements MigrationInterface {
  name = 'RobotRateWindows1764002200000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE robot_rate_windows (
        robot_key    VARCHAR(80) PRIMARY KEY,
        recent_sends JSONB NOT NULL DEFAULT '[]',
        paused_until TIMESTAMPTZ NULL,
        pause_hint   TEXT NULL
      )`);
    await runner.query(`ALTER TABLE ding_talk_bots ADD COLUMN robot_key VARCHAR(80) NULL`);
    await runner.query(`ALTER TABLE ding_talk_bots ADD COLUMN app_key VARCHAR(80) NULL`);
    await runner.query(`ALTER TABLE bot_delivery_states DROP COLUMN recent_sends`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE bot_delivery_states ADD COLUMN recent_sends JSONB NOT NULL DEFAULT '[]'`);
    await runner.query(`ALTER TABLE ding_talk_bots DROP COLUMN app_key`);
    await runner.query(`ALTER TABLE ding_talk_bots DROP COLUMN robot_key`);
    await runner.query(`DROP TABLE robot_rate_windows`);
  }
}
