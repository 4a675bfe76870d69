import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Messages from the groups and chats of one app that serves many stores (issue 23, docs/stream-connections.md):
 * - a received message no store's bot takes (a group nobody linked, a sender not bound) is still stored once per
 *   msgId, so a redelivery is not answered twice: its bot and store are null;
 * - `dingtalk_sender_bindings`: the store a staff member wrote 绑定 for in that store's group, per app, where their
 *   one-to-one messages go;
 * - `unlinked_group_notices`: the day a group nobody linked was last told so, per app: at most once a day, decided
 *   by one statement whatever the number of instances.
 */
export class InboundRouting1764003610000 implements MigrationInterface {
  name = 'InboundRouting1764003610000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE received_bot_messages ALTER COLUMN bot_id DROP NOT NULL, ALTER COLUMN store_id DROP NOT NULL`,
    );
    await runner.query(`
      CREATE TABLE dingtalk_sender_bindings (
        app_id     INTEGER NOT NULL REFERENCES dingtalk_apps (id) ON DELETE CASCADE,
        staff_id   VARCHAR(100) NOT NULL,
        store_id   INTEGER NOT NULL CHECK (store_id > 0),
        bound_at   TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (app_id, staff_id)
      )`);
    await runner.query(`
      CREATE TABLE unlinked_group_notices (
        app_id          INTEGER NOT NULL REFERENCES dingtalk_apps (id) ON DELETE CASCADE,
        conversation_id VARCHAR(255) NOT NULL,
        notified_on     DATE NOT NULL,
        PRIMARY KEY (app_id, conversation_id)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE unlinked_group_notices`);
    await runner.query(`DROP TABLE dingtalk_sender_bindings`);
    await runner.query(`DELETE FROM received_bot_messages WHERE bot_id IS NULL OR store_id IS NULL`);
    await runner.query(
      `ALTER TABLE received_bot_messages ALTER COLUMN bot_id SET NOT NULL, ALTER COLUMN store_id SET NOT NULL`,
    );
  }
}
