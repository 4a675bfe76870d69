import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-bot delivery state shared by every instance on the database: the sends of the last minute (the rate limit
 * of a bot must hold across instances), the throttle pause DingTalk imposed, and the last delivery for the
 * bot's status. The dispatcher locks a bot's row while it claims for that bot.
 */
export class CreateBotDeliveryStates1764000200000 implements MigrationInterface {
  name = 'CreateBotDeliveryStates1764000200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE bot_delivery_states (
        bot_id               INTEGER PRIMARY KEY REFERENCES ding_talk_bots (id) ON DELETE CASCADE,
        recent_sends         JSONB NOT NULL DEFAULT '[]',
        rate_limited_until   TIMESTAMPTZ NULL,
        last_delivery_at     TIMESTAMPTZ NULL,
        last_delivery_status VARCHAR(16) NULL
      )`);
    // The queue: what is waiting, per bot, oldest first.
    await queryRunner.query(`
      CREATE INDEX idx_notifications_queue ON notifications (bot_id, id)
        WHERE status IN ('pending', 'retrying')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX idx_notifications_queue`);
    await queryRunner.query(`DROP TABLE bot_delivery_states`);
  }
}
