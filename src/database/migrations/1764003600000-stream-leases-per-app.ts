import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One Stream connection per DingTalk app, not per bot (issue 23): an app serves many stores' bots, and DingTalk hands
 * each message of an app to one of its connections at random (docs/dingtalk/stream-mode.md), so the lease that
 * makes one instance of the cluster connect is the app's. The leases only say who connects now: they are dropped
 * and taken again by app within a renewal round (docs/stream-connections.md).
 */
export class StreamLeasesPerApp1764003600000 implements MigrationInterface {
  name = 'StreamLeasesPerApp1764003600000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE stream_connection_leases`);
    await runner.query(`
      CREATE TABLE stream_connection_leases (
        app_id            INTEGER PRIMARY KEY REFERENCES dingtalk_apps (id) ON DELETE CASCADE,
        instance_id       VARCHAR(64) NOT NULL,
        expires_at        TIMESTAMPTZ NOT NULL,
        acquired_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
        connection_status VARCHAR(16) NOT NULL DEFAULT 'connecting',
        status_since      TIMESTAMPTZ NOT NULL DEFAULT now(),
        connected_since   TIMESTAMPTZ,
        last_message_time TIMESTAMPTZ,
        last_error        TEXT,
        reconnect_count   INTEGER NOT NULL DEFAULT 0
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE stream_connection_leases`);
    await runner.query(`
      CREATE TABLE stream_connection_leases (
        bot_id            INTEGER PRIMARY KEY REFERENCES ding_talk_bots (id) ON DELETE CASCADE,
        instance_id       VARCHAR(64) NOT NULL,
        expires_at        TIMESTAMPTZ NOT NULL,
        acquired_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
        connection_status VARCHAR(16) NOT NULL DEFAULT 'connecting',
        status_since      TIMESTAMPTZ NOT NULL DEFAULT now(),
        connected_since   TIMESTAMPTZ,
        last_message_time TIMESTAMPTZ,
        last_error        TEXT,
        reconnect_count   INTEGER NOT NULL DEFAULT 0
      )`);
  }
}
