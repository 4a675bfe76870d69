import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Messages staff wrote to stream bots. The unique (robot_code, msg_id) is what makes a message handled
 * once: the first delivery inserts the row and handles it, a redelivery (also after a restart, or to another
 * instance) finds the row and stops. robot_code is the app's client id, which owns the msgId namespace.
 */
export class CreateReceivedBotMessages1764000400000 implements MigrationInterface {
  name = 'CreateReceivedBotMessages1764000400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE received_bot_messages (
        id                 BIGSERIAL PRIMARY KEY,
        robot_code         VARCHAR(128) NOT NULL,
        msg_id             VARCHAR(255) NOT NULL,
        bot_id             INTEGER NOT NULL,
        store_id           INTEGER NOT NULL,
        conversation_id    VARCHAR(255) NULL,
        conversation_type  VARCHAR(4) NULL,
        sender_staff_id    VARCHAR(100) NULL,
        sender_nick        VARCHAR(100) NULL,
        msg_type           VARCHAR(32) NOT NULL,
        text               TEXT NULL,
        command            VARCHAR(16) NULL
                             CHECK (command IN ('report', 'report_invalid', 'today', 'bind', 'help')),
        outcome            VARCHAR(32) NULL,
        menu_report_id     INTEGER NULL REFERENCES menu_reports (id) ON DELETE SET NULL,
        reply_via          VARCHAR(16) NULL CHECK (reply_via IN ('session', 'group', 'oto', 'none')),
        reply_error        TEXT NULL,
        received_at        TIMESTAMPTZ NOT NULL,
        handled_at         TIMESTAMPTZ NULL,
        CONSTRAINT uq_received_bot_messages_msg UNIQUE (robot_code, msg_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX idx_received_bot_messages_bot_received ON received_bot_messages (bot_id, received_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE received_bot_messages`);
  }
}
