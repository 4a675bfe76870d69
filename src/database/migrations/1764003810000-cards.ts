import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Interactive cards (issue 22, docs/dingtalk/cards.md):
 * - a notification may carry what the service composes (SENT_MSG_TYPES): a `card` (its content the JSON of the
 *   card's variables), sent through a stream bot's card API, and a custom robot's `actionCard` of confirmation links;
 *   bots and templates keep the types they choose (text, markdown);
 * - a stream bot names the template of DingTalk's card platform its cards use (`card_template_id`, e.g.
 *   `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx.schema`), null: it sends no cards;
 * - who clicked a card is named by the nick the service last saw from that userid in an app's messages: an index
 *   finds it without reading an app's whole log.
 */
export class Cards1764003810000 implements MigrationInterface {
  name = 'Cards1764003810000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_msg_type_check`);
    await runner.query(`
      ALTER TABLE notifications ADD CONSTRAINT notifications_msg_type_check
        CHECK (msg_type IN ('text', 'markdown', 'actionCard', 'card'))`);
    await runner.query(`ALTER TABLE ding_talk_bots ADD COLUMN card_template_id VARCHAR(128) NULL`);
    await runner.query(`
      CREATE INDEX idx_received_bot_messages_sender ON received_bot_messages (robot_code, sender_staff_id, received_at)
      WHERE sender_nick IS NOT NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX idx_received_bot_messages_sender`);
    await runner.query(`ALTER TABLE ding_talk_bots DROP COLUMN card_template_id`);
    await runner.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_msg_type_check`);
    // A composed row cannot stay under the old rule: it becomes the text of its JSON.
    await runner.query(`UPDATE notifications SET msg_type = 'text' WHERE msg_type IN ('actionCard', 'card')`);
    await runner.query(`
      ALTER TABLE notifications ADD CONSTRAINT notifications_msg_type_check
        CHECK (msg_type IN ('text', 'markdown'))`);
  }
}
