import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Idempotency-Key of a POST that created something, with the answer it got, written in the same transaction as
 * what it created: a key is here if and only if its report (or batch send) is committed. Keys are per caller (the
 * token's `sub`); `request_hash` tells a retry of the same request from another request under the same key. Rows
 * older than 24 hours are answered as if absent and deleted by the idempotency-expiry job (index on created_at).
 */
export class IdempotencyKeys1764002400000 implements MigrationInterface {
  name = 'IdempotencyKeys1764002400000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE idempotency_keys (
        caller        TEXT         NOT NULL,
        key           VARCHAR(255) NOT NULL,
        request_hash  CHAR(64)     NOT NULL,
        response      JSONB        NOT NULL,
        created_at    TIMESTAMPTZ  NOT NULL,
        CONSTRAINT pk_idempotency_keys PRIMARY KEY (caller, key)
      )`);
    await runner.query(`CREATE INDEX ix_idempotency_keys_created_at ON idempotency_keys (created_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE idempotency_keys`);
  }
}
