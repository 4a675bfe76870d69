import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The record of every store admin token an admin mints (POST /auth/tokens), so that one can be listed and revoked
 * (src/auth/, docs/console.md): its `jti`, who it is for, its stores, when it expires, who minted it, and when and
 * by whom it was revoked. Never the token itself: the record cannot be used to sign in.
 *
 * - `idx_minted_tokens_revoked`: every instance reads the revoked, unexpired jtis every two seconds; the partial
 *   index holds only revoked rows, so that read stays small however many tokens were minted.
 * - `idx_minted_tokens_expires`: the retention job deletes records expired long ago, and the list filters on it.
 * - `idx_minted_tokens_created`: the list, newest first.
 */
export class MintedTokens1764003820000 implements MigrationInterface {
  name = 'MintedTokens1764003820000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE minted_tokens (
        jti        UUID PRIMARY KEY,
        sub        VARCHAR(100) NOT NULL,
        store_ids  INTEGER[] NOT NULL,
        minted_by  VARCHAR(100) NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        expires_at TIMESTAMPTZ NOT NULL,
        revoked_at TIMESTAMPTZ NULL,
        revoked_by VARCHAR(100) NULL
      )`);
    await runner.query(
      `CREATE INDEX idx_minted_tokens_revoked ON minted_tokens (expires_at) WHERE revoked_at IS NOT NULL`,
    );
    await runner.query(`CREATE INDEX idx_minted_tokens_expires ON minted_tokens (expires_at)`);
    await runner.query(`CREATE INDEX idx_minted_tokens_created ON minted_tokens (created_at DESC, jti)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE IF EXISTS minted_tokens`);
  }
}
