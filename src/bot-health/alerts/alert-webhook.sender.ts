import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Agent, request } from 'undici';
import { Clock } from '../../common/clock';
import { SecretBox } from '../../common/crypto/secret-box';
import { ClockScheduler } from '../../common/scheduling/clock-scheduler';
import { AppConfig } from '../../config/app-config';
import { alertPayload } from '../messages/alert-message';
import { AlertWebhookRepository, ClaimedWebhookDelivery } from './alert-webhook.repository';
import { signWebhook } from './webhook-signature';

/** Name of the sender's job in SchedulerRegistry. */
export const ALERT_WEBHOOKS = 'bot-health.alert-webhooks';
/** How often due webhook deliveries are looked for (an alert wakes the sender at once besides). */
const PERIOD_MS = 5_000;
/** A receiver has this long to answer: connect, headers, body, all together. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** A claim holds a delivery this long: past it (the instance died mid-send) another instance takes it. */
const LEASE_MS = 3 * WEBHOOK_TIMEOUT_MS;
const BATCH = 20;

/**
 * Sends alerts to webhooks: each delivery a signed JSON POST (webhook-signature.ts), a 2xx is delivered, anything else
 * (another status, a timeout, a network error) is tried again on the delivery retry schedule
 * (DELIVERY_RETRY_SCHEDULE, ±20 %), and given up when it runs out. The same `webhook-id` on every attempt, so a
 * receiver can drop a duplicate (a send whose answer was lost is sent again).
 */
@Injectable()
export class AlertWebhookSender implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AlertWebhookSender.name);
  private readonly agent = new Agent({
    connect: { timeout: WEBHOOK_TIMEOUT_MS },
    headersTimeout: WEBHOOK_TIMEOUT_MS,
    bodyTimeout: WEBHOOK_TIMEOUT_MS,
  });
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly deliveries: AlertWebhookRepository,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
    private readonly scheduler: ClockScheduler,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.scheduler.every(ALERT_WEBHOOKS, PERIOD_MS, () => this.wake());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.running;
    await this.agent.close();
  }

  /** Sends what is due now; one run at a time (a wake during a run runs once more after it). */
  wake(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.sendDue();
      } while (this.again);
    })().finally(() => (this.running = null));
    return this.running;
  }

  private async sendDue(): Promise<void> {
    const now = new Date(this.clock.now());
    await this.deliveries.failOrphans(now);
    const leaseUntil = new Date(now.getTime() + LEASE_MS);
    const claimed = await this.deliveries.claimDue(now, leaseUntil, BATCH);
    await Promise.all(claimed.map((delivery) => this.send(delivery, leaseUntil)));
    if (claimed.length === BATCH) this.again = true;
  }

  private async send(delivery: ClaimedWebhookDelivery, leaseUntil: Date): Promise<void> {
    const body = JSON.stringify(alertPayload(delivery.alert));
    const headers = signWebhook(
      this.secrets.open(delivery.sealedSecret),
      `alert_${delivery.id}`,
      Math.floor(this.clock.now() / 1000),
      body,
    );
    let httpStatus: number | null = null;
    let error: string | null = null;
    try {
      const response = await request(delivery.url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'user-agent': 'store-dingtalk-notify', ...headers },
        dispatcher: this.agent,
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      });
      httpStatus = response.statusCode;
      await response.body.dump();
      if (httpStatus < 200 || httpStatus >= 300) error = `HTTP ${httpStatus}`;
    } catch (caught) {
      // The message may quote the URL, whose query can carry a token: the origin only.
      const { code, name } = caught as { code?: string; name?: string };
      error = `${new URL(delivery.url).origin} could not be reached: ${code ?? name ?? 'error'}`;
    }
    const at = new Date(this.clock.now());
    const retryAt = error === null ? null : this.retryAt(delivery.attempt, at.getTime());
    if (error !== null) {
      this.logger.warn(
        `Alert ${delivery.alert.id} to webhook ${new URL(delivery.url).origin}: ${error}, ` +
          (retryAt
            ? `trying again at ${retryAt.toISOString()}`
            : `given up after ${delivery.attempt} attempts`),
      );
    }
    await this.deliveries.record(delivery.id, leaseUntil, {
      sent: error === null,
      at,
      httpStatus,
      error,
      retryAt,
    });
  }

  /** After failed attempt `attempt`: the schedule's next wait with ±20 % jitter, or null when it has run out. */
  private retryAt(attempt: number, now: number): Date | null {
    const schedule = this.config.delivery.retryScheduleMs;
    if (attempt > schedule.length) return null;
    return new Date(now + Math.round(schedule[attempt - 1] * (0.8 + 0.4 * Math.random())));
  }
}
