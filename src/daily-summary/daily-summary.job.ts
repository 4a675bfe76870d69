import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ClockScheduler } from '../common/scheduling/clock-scheduler';
import { DailySummaryService } from './daily-summary.service';

const EVERY_MINUTE_MS = 60_000;

/**
 * Every minute, queues the daily summaries that are due (a summary goes out within a minute of its moment, or of
 * the service's start after downtime). Exactly once per bot and day is the database's business (the
 * `daily_summaries` key), so every instance runs this job and a restart may run it again safely.
 */
@Injectable()
export class DailySummaryJob implements OnApplicationBootstrap {
  constructor(
    private readonly scheduler: ClockScheduler,
    private readonly summaries: DailySummaryService,
  ) {}

  onApplicationBootstrap(): void {
    this.scheduler.every('daily-summary', EVERY_MINUTE_MS, async () => {
      await this.summaries.sendDue();
    });
  }
}
