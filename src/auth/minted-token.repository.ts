import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { rowsOf } from '../database/query-rows';

export const MINTED_TOKEN_STATUSES = ['active', 'revoked', 'expired'] as const;
export type MintedTokenStatus = (typeof MINTED_TOKEN_STATUSES)[number];

/** A minted token as recorded: never the token itself, which cannot be rebuilt from this. */
export interface MintedTokenRecord {
  jti: string;
  sub: string;
  storeIds: number[];
  mintedBy: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedBy: string | null;
}

interface Row {
  jti: string;
  sub: string;
  store_ids: number[];
  minted_by: string;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  revoked_by: string | null;
}

const COLUMNS = 'jti, sub, store_ids, minted_by, created_at, expires_at, revoked_at, revoked_by';

/** `at.now` is the caller's now: a token is expired from its `exp` on, as the authenticator judges it. */
const STATUS_SQL: Record<MintedTokenStatus, string> = {
  active: 'revoked_at IS NULL AND expires_at > at.now',
  revoked: 'revoked_at IS NOT NULL',
  expired: 'revoked_at IS NULL AND expires_at <= at.now',
};

function recordOf(row: Row): MintedTokenRecord {
  return {
    jti: row.jti,
    sub: row.sub,
    storeIds: row.store_ids,
    mintedBy: row.minted_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by,
  };
}

/** The records of minted store admin tokens (table `minted_tokens`), and the revoked ones every instance reads. */
@Injectable()
export class MintedTokenRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(token: {
    jti: string;
    sub: string;
    storeIds: readonly number[];
    mintedBy: string;
    expiresAt: Date;
  }): Promise<MintedTokenRecord> {
    const [row] = await this.dataSource.query<Row[]>(
      `INSERT INTO minted_tokens (jti, sub, store_ids, minted_by, expires_at) VALUES ($1, $2, $3, $4, $5)
       RETURNING ${COLUMNS}`,
      [token.jti, token.sub, [...token.storeIds], token.mintedBy, token.expiresAt],
    );
    return recordOf(row);
  }

  /** Newest first; `now` tells active from expired. */
  async list(
    filter: { status?: MintedTokenStatus; now: Date },
    skip: number,
    take: number,
  ): Promise<{ items: MintedTokenRecord[]; total: number }> {
    const from = `FROM minted_tokens, (SELECT $1::timestamptz AS now) AS at
      WHERE ${filter.status ? STATUS_SQL[filter.status] : 'true'}`;
    const rows = await this.dataSource.query<Row[]>(
      `SELECT ${COLUMNS} ${from} ORDER BY created_at DESC, jti OFFSET $2 LIMIT $3`,
      [filter.now, skip, take],
    );
    // Counted apart: a window count would say 0 for a page past the end.
    const [count] = await this.dataSource.query<Array<{ total: number }>>(
      `SELECT count(*)::int AS total ${from}`,
      [filter.now],
    );
    return { items: rows.map(recordOf), total: count.total };
  }

  /**
   * Marks the token revoked by `by`, unless it already was (then its first revocation stays, and `now` is false):
   * its record, or undefined when no token has that jti (never minted here, or its record deleted by retention long
   * after it expired).
   */
  async revoke(jti: string, by: string): Promise<{ record: MintedTokenRecord; now: boolean } | undefined> {
    const [revoked] = rowsOf<Row>(
      await this.dataSource.query(
        `UPDATE minted_tokens SET revoked_at = now(), revoked_by = $2 WHERE jti = $1 AND revoked_at IS NULL
         RETURNING ${COLUMNS}`,
        [jti, by],
      ),
    );
    if (revoked) return { record: recordOf(revoked), now: true };
    const [row] = await this.dataSource.query<Row[]>(`SELECT ${COLUMNS} FROM minted_tokens WHERE jti = $1`, [
      jti,
    ]);
    return row ? { record: recordOf(row), now: false } : undefined;
  }

  /** The revoked tokens whose expiry is after `after`: what every instance keeps in memory (revoked-tokens.ts). */
  async revokedExpiringAfter(after: Date): Promise<Array<{ jti: string; expiresAtSeconds: number }>> {
    const rows = await this.dataSource.query<Array<{ jti: string; expires_at: Date }>>(
      `SELECT jti, expires_at FROM minted_tokens WHERE revoked_at IS NOT NULL AND expires_at > $1`,
      [after],
    );
    return rows.map((row) => ({
      jti: row.jti,
      expiresAtSeconds: Math.floor(row.expires_at.getTime() / 1000),
    }));
  }
}
