import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { AppEvent, OnAppEvent } from '../events/app-events';
import { BOT_HEALTHS, BotHealthChangedEvent } from '../events/bot-health.events';
import { BotHealthRepository } from './bot-health.repository';
import { AlertType } from './messages/alert-message';

/**
 * Bots by health, for dashboards and alert rules: three series whatever the number of bots (a bot's own health is in
 * its status and the lists' `health=` filter, not in a series per bot). Read from the database at scrape time, so
 * every instance reports the whole service; changes are counted by the instance that made them.
 */
@Injectable()
export class BotHealthMetrics {
  private readonly changes: Counter<'health'>;
  private readonly alerts: Counter<'type'>;

  constructor(registry: Registry, repository: BotHealthRepository) {
    new Gauge({
      name: 'dingtalk_bots_by_health',
      help: 'Bots by health: healthy, degraded (retrying, throttled, reconnecting) or broken',
      labelNames: ['health'],
      registers: [registry],
      async collect() {
        // With the database away the gauge keeps its last values.
        const counts = await repository.countsByHealth().catch(() => null);
        if (counts) for (const health of BOT_HEALTHS) this.set({ health }, counts[health]);
      },
    });
    this.changes = new Counter({
      name: 'dingtalk_bot_health_changes_total',
      help: "Changes of a bot's health made by this instance, by the health the bot took",
      labelNames: ['health'],
      registers: [registry],
    });
    this.alerts = new Counter({
      name: 'dingtalk_bot_alerts_total',
      help: 'Alerts made by this instance, by type: broken, recovered, still_broken (each to every destination)',
      labelNames: ['type'],
      registers: [registry],
    });
  }

  alerted(type: AlertType): void {
    this.alerts.inc({ type });
  }

  @OnAppEvent(AppEvent.BotHealthChanged)
  onChanged({ after }: BotHealthChangedEvent): void {
    this.changes.inc({ health: after });
  }
}
