import { randomBytes } from 'node:crypto';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Clock, ClockTimer } from '../../common/clock';
import { AppConfig } from '../../config/app-config';
import { BotWithSecrets } from '../../dingtalk-bot/bot-fields';
import { DingTalkBotService } from '../../dingtalk-bot/dingtalk-bot.service';
import { DingTalkOutcome } from '../../dingtalk/dingtalk-outcome';
import { OutgoingMessage } from '../../dingtalk/outgoing-message';
import { BotSenderRegistry } from '../senders/bot-sender.registry';
import { DeliveryMetrics } from './delivery-metrics';
import { ClaimedNotification, DeliveryQueue } from './delivery-queue';
import { judgeAttempt } from './retry-policy';

/**
 * Sends the queued notifications (SPEC §7). A loop claims due notifications (a lease in a short transaction),
 * sends each outside any transaction, and records the attempt and its consequence in another short transaction
 * guarded by the lease. It runs when woken (a report was committed, a send finished, a resend was asked for) and
 * otherwise sleeps until the next thing falls due, at most DELIVERY_POLL_INTERVAL_MS: polling is only the
 * safety net that notices other instances' work and expired leases.
 *
 * Rate limit: the claim counts a bot's sends of the last minute plus DELIVERY_RATE_MARGIN_MS, and a bot has one
 * send in flight at most. A send counts from when it started (recorded when it finishes; until then from its
 * claim); DingTalk counts it from its arrival a little later, and the margin absorbs that delay and any
 * difference between the clocks, so that DingTalk's sliding minute never sees more than `rate_limit_per_minute`.
 */
@Injectable()
export class NotificationDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(NotificationDispatcher.name);
  /** Names this dispatcher's leases: the instance, and a fresh part per start (a restart is a new owner). */
  readonly owner: string;
  private readonly leaseMs: number;
  private running = false;
  private ticking: Promise<void> | null = null;
  private wokenDuringTick = false;
  private timer: ClockTimer | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly busyBots = new Set<number>();

  constructor(
    private readonly queue: DeliveryQueue,
    private readonly bots: DingTalkBotService,
    private readonly senders: BotSenderRegistry,
    private readonly metrics: DeliveryMetrics,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.owner = `${config.instanceId.slice(0, 48)}:${randomBytes(6).toString('hex')}`;
    // A stream send may take a token fetch and two calls, each within the DingTalk deadline.
    this.leaseMs = 3 * config.dingtalk.timeoutMs + 5_000;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.database.kind === 'embedded') {
      const released = await this.queue.releaseAllLeases();
      if (released > 0) this.logger.log(`Released ${released} leases left by a previous run`);
    }
    this.running = true;
    this.wake();
  }

  /** Look for work now. Cheap and idempotent: call it whenever something may have become due. */
  wake(): void {
    if (!this.running) return;
    if (this.ticking) {
      this.wokenDuringTick = true;
      return;
    }
    this.ticking = this.tick().finally(() => {
      this.ticking = null;
    });
  }

  /** Stop claiming, let in-flight sends finish (bounded), give back the leases of those that did not. */
  async beforeApplicationShutdown(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.clock.clearTimeout(this.timer);
    await this.ticking;
    if (this.inFlight.size > 0) {
      const grace = new AbortController();
      await Promise.race([
        Promise.allSettled([...this.inFlight]),
        this.clock.sleep(this.config.delivery.shutdownGraceMs, grace.signal),
      ]);
      grace.abort();
    }
    const released = await this.queue.releaseLeases(this.owner);
    if (released > 0) this.logger.warn(`Released ${released} leases of sends still in flight at shutdown`);
  }

  private async tick(): Promise<void> {
    this.clock.clearTimeout(this.timer);
    let retryAfterError = false;
    try {
      do {
        this.wokenDuringTick = false;
        const capacity = this.config.delivery.concurrency - this.inFlight.size;
        if (capacity <= 0) break;
        const claimed = await this.queue.claim(this.owner, capacity, this.clock.now(), this.leaseMs, [
          ...this.busyBots,
        ]);
        for (const notification of claimed) this.track(notification.botId, this.deliver(notification));
      } while (this.wokenDuringTick && this.running);
    } catch (error) {
      this.logger.error(`Claiming notifications failed: ${(error as Error).message}`);
      retryAfterError = true;
    }
    if (this.running) await this.scheduleNext(retryAfterError);
  }

  private async scheduleNext(afterError: boolean): Promise<void> {
    const now = this.clock.now();
    let wakeAt = now + this.config.delivery.pollIntervalMs;
    if (!afterError) {
      try {
        const next = await this.queue.nextWakeAt(now);
        if (next !== null) wakeAt = Math.min(wakeAt, next);
      } catch (error) {
        this.logger.error(`Looking for the next due notification failed: ${(error as Error).message}`);
      }
    }
    if (!this.running) return;
    this.clock.clearTimeout(this.timer);
    // Measured from the clock now, not from before the query: time went by while it ran.
    this.timer = this.clock.setTimeout(() => this.wake(), Math.max(0, wakeAt - this.clock.now()));
  }

  private track(botId: number, delivery: Promise<void>): void {
    this.inFlight.add(delivery);
    this.busyBots.add(botId);
    void delivery.finally(() => {
      this.inFlight.delete(delivery);
      this.busyBots.delete(botId);
      this.wake();
    });
  }

  private async deliver(notification: ClaimedNotification): Promise<void> {
    try {
      const bot = await this.bots.findWithSecrets(notification.botId);
      if (!bot) return; // Deleted meanwhile: the next claim skips the row with a hint.
      const startedAt = this.clock.now();
      const outcome = await this.send(bot, notification);
      const now = this.clock.now();
      const verdict = judgeAttempt(outcome, notification.attempts, this.config.delivery.retryScheduleMs, now);
      const held = await this.queue.finish(notification, this.owner, startedAt, outcome, verdict, now);
      this.metrics.recordAttempt(bot.botType, outcome);
      const line = `Notification ${notification.id} to bot ${bot.id}: ${outcome.kind}, now ${verdict.status}`;
      if (!held) this.logger.warn(`${line} (lease lost meanwhile: status left to its new owner)`);
      else if (outcome.kind === 'ok') this.logger.debug(line);
      else this.logger.warn(`${line} (${outcome.errcode ?? '-'} ${outcome.errmsg})`);
    } catch (error) {
      // The lease runs out and the notification is claimed again; nothing is lost.
      this.logger.error(`Delivering notification ${notification.id} failed: ${(error as Error).message}`);
    }
  }

  private async send(bot: BotWithSecrets, notification: ClaimedNotification): Promise<DingTalkOutcome> {
    const message: OutgoingMessage = {
      msgType: notification.msgType,
      title: notification.title,
      text: notification.content,
      atMobiles: notification.atMobiles,
      atUserIds: notification.atUserIds,
      atAll: notification.atAll,
    };
    const started = performance.now();
    try {
      return await this.senders.senderFor(bot.botType).send(bot, message);
    } catch (error) {
      // A sender refuses a bot whose settings cannot work (e.g. a work notification without agent_id).
      return {
        kind: 'permanent',
        httpStatus: null,
        errcode: null,
        errmsg: (error as Error).message,
        hint: `The service could not send through this bot: ${(error as Error).message}. Check the bot's settings.`,
        latencyMs: Math.round(performance.now() - started),
      };
    }
  }
}
