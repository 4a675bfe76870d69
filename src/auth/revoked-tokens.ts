import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';

/** Every instance reads the revoked tokens from the database this often (revocation-refresh.ts). */
export const REVOCATIONS_REFRESH_MS = 2_000;
/**
 * Past this long without a successful read, an instance no longer claims to know which tokens were revoked: a token
 * that can be revoked (one with a `jti`) is answered 503 until a read succeeds again (docs/console.md, "Revoking a
 * token"). Long enough for a failover or a slow read not to interrupt store admins, short enough that a token revoked
 * elsewhere during an outage is not honoured here for long.
 */
export const REVOCATIONS_STALE_MS = 15_000;
/**
 * A revoked token is remembered until this long after its `exp`: the instance judging the token and the database
 * that chose which revoked tokens are still unexpired may disagree about the time by a little.
 */
const EXPIRY_MARGIN_SECONDS = 3_600;

export type RevocationVerdict = 'valid' | 'revoked' | 'unknown';

/**
 * The jtis of revoked tokens that have not expired yet, as this instance knows them: a lookup in memory, so that a
 * request costs no query (the delivery benchmark sends hundreds a second). Filled by the refresh job from the
 * database, and at once by a revocation made on this instance.
 *
 * A revocation is final, so what is known is only ever added to: a read that began before a revocation here and
 * ends after it cannot forget that revocation. An entry goes once its token has expired (with a margin), when an
 * expired token is refused anyway.
 */
@Injectable()
export class RevokedTokens {
  /** jti → the token's `exp`, in seconds since the epoch. */
  private readonly revoked = new Map<string, number>();
  /** When the database was last read, by the Clock; undefined before the first read. */
  private readAt: number | undefined;

  constructor(private readonly clock: Clock) {}

  /**
   * Whether a token with this jti may be used now: `unknown` when the database has not been read for
   * REVOCATIONS_STALE_MS (or not yet), and it is not known to be revoked.
   */
  verdict(jti: string): RevocationVerdict {
    if (this.revoked.has(jti)) return 'revoked';
    if (this.readAt === undefined || this.clock.now() - this.readAt > REVOCATIONS_STALE_MS) return 'unknown';
    return 'valid';
  }

  /** A revocation made on this instance: known here at once, before the next read. */
  add(jti: string, expiresAtSeconds: number): void {
    this.revoked.set(jti, expiresAtSeconds);
  }

  /** What a read of the database found, `readStartedAt` by the Clock (the time it is current as of). */
  refreshed(rows: ReadonlyArray<{ jti: string; expiresAtSeconds: number }>, readStartedAt: number): void {
    for (const row of rows) this.revoked.set(row.jti, row.expiresAtSeconds);
    const gone = Math.floor(Date.now() / 1000) - EXPIRY_MARGIN_SECONDS;
    for (const [jti, expiresAt] of this.revoked) if (expiresAt < gone) this.revoked.delete(jti);
    this.readAt = Math.max(this.readAt ?? readStartedAt, readStartedAt);
  }

  /** How many revoked, unexpired tokens are known (for the refresh's log line). */
  get size(): number {
    return this.revoked.size;
  }
}
