import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { Clock } from '../../common/clock';
import { BotType } from '../../dingtalk-bot/entities/dingtalk-bot.entity';
import { DingTalkOutcome } from '../../dingtalk/dingtalk-outcome';
import { NotificationKind } from '../entities/notification.entity';
import { DeliveryStateRepository } from './queue/delivery-state.repository';

/**
 * The delivery metrics (README: "Operations"). `type` is the bot type under its documented metric label; `bot_type` repeats it under the
 * name the rest of the API uses. `status` is success or failure per attempt (a throttled answer is a failure).
 * `kind` is the notification's kind (menu_report, batch, digest, daily_summary, test: the test button's).
 * The backlog gauges are read from the database at scrape time, so every instance reports the shared queue.
 */
@Injectable()
export class DeliveryMetrics {
  private readonly sent: Counter<'type' | 'bot_type' | 'kind' | 'status'>;
  private readonly duration: Histogram<'type' | 'bot_type'>;
  private readonly expired: Counter;

  constructor(registry: Registry, queue: DeliveryStateRepository, clock: Clock) {
    this.sent = new Counter({
      name: 'dingtalk_message_sent_total',
      help: 'Attempts to send a notification to DingTalk, by bot type, kind of notification and result',
      labelNames: ['type', 'bot_type', 'kind', 'status'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'dingtalk_send_duration_seconds',
      help: 'Time DingTalk took to answer a send (including a token fetch when one was needed)',
      labelNames: ['type', 'bot_type'],
      buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    let backlog: Promise<{ pending: number; oldestSeconds: number } | null> | null = null;
    // Both gauges come from one query per scrape; with the database down they keep their last value.
    const readBacklog = () => {
      backlog ??= queue
        .backlog(clock.now())
        .catch(() => null)
        .finally(() => setImmediate(() => (backlog = null)));
      return backlog;
    };
    new Gauge({
      name: 'dingtalk_notifications_pending',
      help: 'Notifications waiting to be sent (pending or retrying)',
      registers: [registry],
      async collect() {
        const read = await readBacklog();
        if (read) this.set(read.pending);
      },
    });
    this.expired = new Counter({
      name: 'dingtalk_notifications_expired_total',
      help: 'Notifications this instance gave up as expired: still waiting DELIVERY_MAX_AGE_MS after being queued',
      registers: [registry],
    });
    new Gauge({
      name: 'dingtalk_notification_oldest_pending_seconds',
      help: 'How long the oldest notification waiting to be sent has waited since it was queued (or resent)',
      registers: [registry],
      async collect() {
        const read = await readBacklog();
        if (read) this.set(read.oldestSeconds);
      },
    });
  }

  recordExpired(count: number): void {
    this.expired.inc(count);
  }

  recordAttempt(botType: BotType, kind: NotificationKind, outcome: DingTalkOutcome): void {
    const labels = { type: botType, bot_type: botType };
    this.sent.inc({ ...labels, kind, status: outcome.kind === 'ok' ? 'success' : 'failure' });
    this.duration.observe(labels, outcome.latencyMs / 1000);
  }
}
