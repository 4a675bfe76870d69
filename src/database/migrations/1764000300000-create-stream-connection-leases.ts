import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each stream bot is connected by exactly one instance (docs/stream-connections.md). An instance holds a bot's lease
 * while it keeps the connection, renews it, and gives it up on stop; a lease left to expire (a dead instance) is
 * taken over.
 */
export class CreateStreamConnectionLeases1764000300000 implements MigrationInterface {
  name = 'CreateStreamConnectionLeases1764000300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE stream_connection_leases (
        bot_id      INTEGER PRIMARY KEY REFERENCES ding_talk_bots (id) ON DELETE CASCADE,
        instance_id VARCHAR(64) NOT NULL,
        expires_at  TIMESTAMPTZ NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE stream_connection_leases`);
  }
}
