import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Clock } from '../common/clock';
import { ClockScheduler } from '../common/scheduling/clock-scheduler';
import { MintedTokenRepository } from './minted-token.repository';
import { REVOCATIONS_REFRESH_MS, REVOCATIONS_STALE_MS, RevokedTokens } from './revoked-tokens';

/** The job's name in SchedulerRegistry. */
export const REVOCATIONS_JOB = 'token-revocations';
/** Revoked tokens that expired longer ago than this are not read: an expired token is refused anyway. */
const READ_EXPIRED_FOR_MS = 3_600_000;

/**
 * Reads the revoked tokens into RevokedTokens at start and every REVOCATIONS_REFRESH_MS, so that a token revoked on
 * any instance is refused on every instance within about two seconds, and no request queries the database for it.
 * One small indexed query per instance every two seconds (the revoked, unexpired tokens: a handful).
 *
 * A read that fails is logged once, not every two seconds; while reads fail, RevokedTokens answers `unknown` for a
 * revocable token once the last good read is REVOCATIONS_STALE_MS old (the authenticator then answers 503).
 */
@Injectable()
export class RevocationRefresh implements OnApplicationBootstrap {
  private readonly logger = new Logger(RevocationRefresh.name);
  private failing = false;

  constructor(
    private readonly repository: MintedTokenRepository,
    private readonly revoked: RevokedTokens,
    private readonly scheduler: ClockScheduler,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
    this.scheduler.every(REVOCATIONS_JOB, REVOCATIONS_REFRESH_MS, () => this.refresh());
  }

  /** One read now; never throws (the job runs again in two seconds). */
  async refresh(): Promise<void> {
    const startedAt = this.clock.now();
    try {
      const rows = await this.repository.revokedExpiringAfter(new Date(Date.now() - READ_EXPIRED_FOR_MS));
      this.revoked.refreshed(rows, startedAt);
      if (this.failing) {
        this.failing = false;
        this.logger.log(`Revoked tokens read again (${this.revoked.size} revoked and unexpired)`);
      }
    } catch (error) {
      if (this.failing) return;
      this.failing = true;
      this.logger.warn(
        `Revoked tokens not read: ${error instanceof Error ? error.message : String(error)}. Retrying every ` +
          `${REVOCATIONS_REFRESH_MS / 1000} s; minted tokens are answered 503 if this lasts ` +
          `${REVOCATIONS_STALE_MS / 1000} s`,
      );
    }
  }
}
