import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { IdempotentRequest } from './idempotent-request';

/** A key found in its 24 hours: the fingerprint of the request that used it, and the answer it got. */
export interface StoredIdempotencyKey {
  fingerprint: string;
  response: unknown;
}

/**
 * The SQL of idempotency keys (table idempotency_keys). The key's lock is a transaction-scoped advisory lock on a
 * 64-bit hash of caller and key: taken with the try variant, so a second request with a key whose first request is
 * still running learns it at once instead of waiting behind it. (Two different keys whose hashes collide would
 * only make one of them answer 409 until the other is done: one chance in 2^64.) Keys are printable ASCII, without
 * a newline, so caller + newline + key names one pair only.
 */
@Injectable()
export class IdempotencyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** True when this transaction now holds the key's lock; false while another transaction holds it. */
  async tryLock(manager: EntityManager, request: IdempotentRequest): Promise<boolean> {
    const [row] = await manager.query<Array<{ locked: boolean }>>(
      `SELECT pg_try_advisory_xact_lock(hashtextextended($1 || E'\\n' || $2, 0)) AS locked`,
      [request.caller, request.key],
    );
    return row.locked;
  }

  /** The key's row if it was written after `since` (an older one is deleted here: the key starts afresh). */
  async find(
    manager: EntityManager,
    request: IdempotentRequest,
    since: Date,
  ): Promise<StoredIdempotencyKey | undefined> {
    const [row] = await manager.query<Array<{ request_hash: string; response: unknown; created_at: Date }>>(
      `SELECT request_hash, response, created_at FROM idempotency_keys WHERE caller = $1 AND key = $2`,
      [request.caller, request.key],
    );
    if (!row) return undefined;
    if (row.created_at.getTime() <= since.getTime()) {
      await manager.query(`DELETE FROM idempotency_keys WHERE caller = $1 AND key = $2`, [
        request.caller,
        request.key,
      ]);
      return undefined;
    }
    return { fingerprint: row.request_hash, response: row.response };
  }

  async insert(
    manager: EntityManager,
    request: IdempotentRequest,
    response: unknown,
    at: Date,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO idempotency_keys (caller, key, request_hash, response, created_at)
       VALUES ($1, $2, $3, $4::jsonb, $5)`,
      [request.caller, request.key, request.fingerprint, JSON.stringify(response), at],
    );
  }

  /** Deletes at most `limit` keys written before `before`; answers how many went. */
  async deleteExpired(before: Date, limit: number): Promise<number> {
    const [row] = await this.dataSource.query<Array<{ deleted: number }>>(
      `WITH deleted AS (
         DELETE FROM idempotency_keys WHERE (caller, key) IN (
           SELECT caller, key FROM idempotency_keys WHERE created_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING 1)
       SELECT count(*)::int AS deleted FROM deleted`,
      [before, limit],
    );
    return row.deleted;
  }
}
