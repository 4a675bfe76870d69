import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Clock } from '../common/clock';
import { ClockScheduler } from '../common/scheduling/clock-scheduler';
import { IdempotencyRepository } from './idempotency.repository';
import { IDEMPOTENCY_WINDOW_MS } from './idempotent-request';

export const IDEMPOTENCY_EXPIRY_JOB = 'idempotency-expiry';
const EVERY_MS = 60 * 60_000;
const BATCH_SIZE = 1_000;

/**
 * Deletes the idempotency keys past their 24 hours, every hour, in short batches. A job of its own rather than a
 * branch of retention: keys expire after a day whatever RETENTION_DAYS says (0 keeps the delivery history, not the
 * keys). An expired key is already answered as absent; this only keeps the table small.
 */
@Injectable()
export class IdempotencyExpiryJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(IdempotencyExpiryJob.name);

  constructor(
    private readonly keys: IdempotencyRepository,
    private readonly scheduler: ClockScheduler,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.scheduler.every(IDEMPOTENCY_EXPIRY_JOB, EVERY_MS, async (signal) => {
      await this.run(signal);
    });
  }

  /** One run, now: answers how many keys were deleted. */
  async run(signal?: AbortSignal): Promise<number> {
    const before = new Date(this.clock.now() - IDEMPOTENCY_WINDOW_MS);
    let deleted = 0;
    while (!signal?.aborted) {
      const batch = await this.keys.deleteExpired(before, BATCH_SIZE);
      deleted += batch;
      if (batch < BATCH_SIZE) break;
    }
    if (deleted > 0)
      this.logger.log(`Deleted ${deleted} idempotency keys from before ${before.toISOString()}`);
    return deleted;
  }
}
