import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Clock } from '../common/clock';
import { ClockScheduler } from '../common/scheduling/clock-scheduler';
import { AppConfig } from '../config/app-config';
import { RetentionRepository, RetentionTarget } from './retention.repository';

/** The name of the daily job in SchedulerRegistry. */
export const RETENTION_JOB = 'retention';
/** The job runs at this hour of the stores' day (REPORT_TIMEZONE), when hardly anyone reports. */
export const RETENTION_HOUR = 4;
/** Rows per delete statement: each batch is short, so that the queue's own statements never wait long. */
export const RETENTION_BATCH_SIZE = 1_000;

const DAY_MS = 24 * 60 * 60_000;

/** What one run deleted. `skipped` when another instance was deleting at the same time and carried on. */
export interface RetentionResult {
  notifications: number;
  receivedBotMessages: number;
  dailySummaries: number;
  botAlerts: number;
  mintedTokens: number;
  skipped: boolean;
}

/** The kinds of rows a run deletes, in this order, and where each count goes. */
const RUN_ORDER: ReadonlyArray<
  [RetentionTarget, 'notifications' | 'receivedBotMessages' | 'dailySummaries' | 'botAlerts' | 'mintedTokens']
> = [
  ['notifications', 'notifications'],
  ['received_bot_messages', 'receivedBotMessages'],
  ['daily_summaries', 'dailySummaries'],
  ['bot_alerts', 'botAlerts'],
  ['minted_tokens', 'mintedTokens'],
];

/**
 * Deletes finished notifications (with their attempts), handled bot messages, the records of sent daily
 * summaries, alerts told (with their webhook deliveries; not a bot's open one) older than RETENTION_DAYS, and the
 * records of minted store admin tokens that expired more than RETENTION_DAYS ago, once
 * a day at RETENTION_HOUR in REPORT_TIMEZONE, in batches of RETENTION_BATCH_SIZE rows until none is left.
 * RETENTION_DAYS=0 keeps everything: no job is scheduled. Pending work is never deleted (see the repository).
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    private readonly repository: RetentionRepository,
    private readonly scheduler: ClockScheduler,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.retentionDays === 0) return;
    this.scheduler.daily(
      RETENTION_JOB,
      { hour: RETENTION_HOUR, timeZone: this.config.reportTimeZone },
      async (signal) => {
        await this.run(signal);
      },
    );
  }

  /** One run, now; it stops between two batches when `signal` aborts (shutdown). */
  async run(signal?: AbortSignal): Promise<RetentionResult> {
    const result: RetentionResult = {
      notifications: 0,
      receivedBotMessages: 0,
      dailySummaries: 0,
      botAlerts: 0,
      mintedTokens: 0,
      skipped: false,
    };
    if (this.config.retentionDays === 0) return result;
    const before = new Date(this.clock.now() - this.config.retentionDays * DAY_MS);

    for (const [target, field] of RUN_ORDER) {
      const { deleted, lockedOut } = await this.deleteAll(target, before, signal);
      result[field] = deleted;
      // Locked out: another instance is running the job and carries on with every kind of row. Going on to the
      // next kind here would take the lock from under it between two of its batches, and it would stop too.
      if (lockedOut) {
        result.skipped = true;
        break;
      }
    }
    if (Object.values(result).some((count) => typeof count === 'number' && count > 0)) {
      this.logger.log(
        `Deleted ${result.notifications} finished notifications (with their attempts), ` +
          `${result.receivedBotMessages} received bot messages, ${result.dailySummaries} daily summary records ` +
          `${result.botAlerts} alerts (with their webhook deliveries) from before ${before.toISOString()}, ` +
          `and ${result.mintedTokens} records of store admin tokens that expired before then`,
      );
    }
    return result;
  }

  /**
   * Batches until one comes back short, or until another instance holds the lock: that one is running the job and
   * carries on until nothing is left (an instance only meets the lock taken while another is between batches).
   */
  private async deleteAll(
    target: RetentionTarget,
    before: Date,
    signal?: AbortSignal,
  ): Promise<{ deleted: number; lockedOut: boolean }> {
    let deleted = 0;
    while (!signal?.aborted) {
      const batch = await this.repository.deleteBatch(target, before, RETENTION_BATCH_SIZE);
      if (batch === null) return { deleted, lockedOut: true };
      deleted += batch;
      if (batch < RETENTION_BATCH_SIZE) break;
    }
    return { deleted, lockedOut: false };
  }
}
