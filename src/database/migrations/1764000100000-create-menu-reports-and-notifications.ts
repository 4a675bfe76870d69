import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateMenuReportsAndNotifications1764000100000 implements MigrationInterface {
  name = 'CreateMenuReportsAndNotifications1764000100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE menu_reports (
        id          SERIAL PRIMARY KEY,
        store_id    INTEGER NOT NULL CHECK (store_id > 0),
        dish_id     INTEGER NULL CHECK (dish_id > 0),
        dish_name   VARCHAR(100) NULL,
        quantity    NUMERIC(12, 3) NOT NULL CHECK (quantity > 0),
        unit        VARCHAR(20) NOT NULL,
        remark      VARCHAR(500) NULL,
        reported_by VARCHAR(100) NOT NULL,
        source      VARCHAR(16) NOT NULL DEFAULT 'api' CHECK (source IN ('api', 'dingtalk')),
        created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
        CHECK (dish_id IS NOT NULL OR dish_name IS NOT NULL)
      )`);
    await queryRunner.query(
      `CREATE INDEX idx_menu_reports_store_created ON menu_reports (store_id, created_at)`,
    );

    await queryRunner.query(`
      CREATE TABLE notifications (
        id               BIGSERIAL PRIMARY KEY,
        bot_id           INTEGER NOT NULL,
        store_id         INTEGER NOT NULL,
        menu_report_id   INTEGER NULL REFERENCES menu_reports (id) ON DELETE CASCADE,
        kind             VARCHAR(16) NOT NULL CHECK (kind IN ('menu_report', 'batch', 'digest')),
        status           VARCHAR(16) NOT NULL DEFAULT 'pending'
                           CHECK (status IN ('pending', 'retrying', 'sent', 'failed', 'merged', 'skipped')),
        msg_type         VARCHAR(16) NOT NULL CHECK (msg_type IN ('text', 'markdown')),
        title            VARCHAR(200) NOT NULL,
        content          TEXT NOT NULL,
        at_mobiles       JSONB NOT NULL DEFAULT '[]',
        at_user_ids      JSONB NOT NULL DEFAULT '[]',
        at_all           BOOLEAN NOT NULL DEFAULT FALSE,
        attempts         INTEGER NOT NULL DEFAULT 0,
        next_attempt_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
        lease_owner      VARCHAR(64) NULL,
        lease_expires_at TIMESTAMPTZ NULL,
        last_error       TEXT NULL,
        hint             TEXT NULL,
        merged_into      BIGINT NULL REFERENCES notifications (id) ON DELETE SET NULL,
        sent_at          TIMESTAMPTZ NULL,
        created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX idx_notifications_due ON notifications (status, next_attempt_at)`);
    await queryRunner.query(`CREATE INDEX idx_notifications_bot_status ON notifications (bot_id, status)`);
    await queryRunner.query(`CREATE INDEX idx_notifications_report ON notifications (menu_report_id)`);
    await queryRunner.query(
      `CREATE INDEX idx_notifications_store_created ON notifications (store_id, created_at)`,
    );

    await queryRunner.query(`
      CREATE TABLE notification_attempts (
        id              BIGSERIAL PRIMARY KEY,
        notification_id BIGINT NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
        at              TIMESTAMPTZ NOT NULL,
        outcome         VARCHAR(16) NOT NULL,
        http_status     INTEGER NULL,
        errcode         VARCHAR(100) NULL,
        errmsg          TEXT NULL,
        latency_ms      INTEGER NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX idx_notification_attempts_notification ON notification_attempts (notification_id, at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE notification_attempts`);
    await queryRunner.query(`DROP TABLE notifications`);
    await queryRunner.query(`DROP TABLE menu_reports`);
  }
}
