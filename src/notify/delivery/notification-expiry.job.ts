import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { ClockScheduler } from '../../common/scheduling/clock-scheduler';
import { AppConfig } from '../../config/app-config';
import { DeliveryMetrics } from './delivery-metrics';
import { QueueUpkeepRepository } from './queue/queue-upkeep.repository';

/** Name of the expiry job in SchedulerRegistry. */
export const DELIVERY_EXPIRY = 'delivery.expiry';
/** How often waiting notifications are checked for their age. */
const EXPIRY_PERIOD_MS = 60_000;

/**
 * Nothing waits forever: a notification still waiting DELIVERY_MAX_AGE_MS after it was queued (written or resent)
 * is `failed` with reason `expired`. Without it a bot that stays throttled (a throttle spends no attempt, see
 * retry-policy.ts) or paused keeps its notifications pending for good. A job of its own, not a branch of the
 * dispatcher's claim (as Svix's expired_message_cleaner). Every instance runs it; the statement is idempotent and
 * passes over rows another instance holds. A notification whose send is in flight is never expired: its lease holds.
 */
@Injectable()
export class NotificationExpiryJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(NotificationExpiryJob.name);

  constructor(
    private readonly queue: QueueUpkeepRepository,
    private readonly metrics: DeliveryMetrics,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly scheduler: ClockScheduler,
  ) {}

  onApplicationBootstrap(): void {
    this.scheduler.every(DELIVERY_EXPIRY, EXPIRY_PERIOD_MS, async () => {
      await this.run();
    });
  }

  /** One run: expires what is too old, counts it in /metrics and says so in one log line. */
  async run(): Promise<number> {
    const now = this.clock.now();
    const maxAge = describeDuration(this.config.delivery.maxAgeMs);
    const expired = await this.queue.expire(
      now - this.config.delivery.maxAgeMs,
      now,
      `Not sent within ${maxAge} of being queued (DELIVERY_MAX_AGE_MS), so it was given up as expired. Check the ` +
        "bot's status (throttled, paused, failing) and resend it if it still matters.",
    );
    if (expired > 0) {
      this.metrics.recordExpired(expired);
      this.logger.warn(`Expired ${expired} notifications still waiting ${maxAge} after they were queued`);
    }
    return expired;
  }
}

function describeDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}
