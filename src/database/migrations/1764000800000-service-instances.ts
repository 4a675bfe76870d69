import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cluster-wide status views: every instance answers for the whole cluster from the database. Each running instance
 * keeps a heartbeat row, and the holder of a stream bot's lease writes that connection's state onto the lease row,
 * so any instance can tell who holds a bot, in what state, since when, and why the last attempt failed.
 */
export class ServiceInstances1764000800000 implements MigrationInterface {
  name = 'ServiceInstances1764000800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE service_instances (
        instance_id       VARCHAR(64) PRIMARY KEY,
        started_at        TIMESTAMPTZ NOT NULL,
        last_heartbeat_at TIMESTAMPTZ NOT NULL
      )`);
    await queryRunner.query(`
      ALTER TABLE stream_connection_leases
        ADD COLUMN acquired_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
        ADD COLUMN connection_status VARCHAR(16) NOT NULL DEFAULT 'connecting',
        ADD COLUMN status_since      TIMESTAMPTZ NOT NULL DEFAULT now(),
        ADD COLUMN connected_since   TIMESTAMPTZ,
        ADD COLUMN last_message_time TIMESTAMPTZ,
        ADD COLUMN last_error        TEXT,
        ADD COLUMN reconnect_count   INTEGER NOT NULL DEFAULT 0`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE stream_connection_leases
        DROP COLUMN acquired_at, DROP COLUMN connection_status, DROP COLUMN status_since,
        DROP COLUMN connected_since, DROP COLUMN last_message_time, DROP COLUMN last_error,
        DROP COLUMN reconnect_count`);
    await queryRunner.query(`DROP TABLE service_instances`);
  }
}
