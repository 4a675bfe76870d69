import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { ClockScheduler } from '../../common/scheduling/clock-scheduler';
import { AppConfig } from '../../config/app-config';
import { notificationsForBot } from '../../notify/messages/bot-notifications';
import { NotificationOutbox } from '../../notify/notification-outbox';
import { BotHealthMetrics } from '../bot-health.metrics';
import { AlertFacts, alertMessage, AlertType } from '../messages/alert-message';
import { BotHealthSettingsRepository } from '../settings/bot-health-settings.repository';
import { ALERT_BOTS, AlertBot, AlertBots } from './alert-bots';
import { AlertDestinationRepository } from './alert-destination.repository';
import { dueAlert } from './alert-rules';
import { AlertsRepository } from './alerts.repository';
import { AlertWebhookSender } from './alert-webhook.sender';

/** Name of the job in SchedulerRegistry. */
export const BOT_ALERTS = 'bot-health.alerts';
/** How often bots are looked at for an alert due (a quiet period is counted from the change, not from here). */
export const ALERT_PERIOD_MS = 10_000;

/**
 * Alerts a bot's change to broken, and its recovery, once per change, to its store's and the chain's destinations
 * (docs/bot-health.md, Alerts). A change is alerted once it has lasted the quiet period (against flapping); while it
 * lasts, a reminder every alert_reminder_hours. Each alert is one transaction under the bot's health row lock
 * (taken last, and only if the row is still as the alert was decided on: each alert made once, whatever the number
 * of instances): the alert recorded, a notification of kind `alert` for each destination bot through the outbox (the
 * delivery queue: durable, rate-limited, in the delivery log), a webhook delivery for each destination webhook, and
 * what the destinations were told.
 */
@Injectable()
export class AlertJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(AlertJob.name);

  constructor(
    private readonly alerts: AlertsRepository,
    private readonly destinations: AlertDestinationRepository,
    private readonly settings: BotHealthSettingsRepository,
    @Inject(ALERT_BOTS) private readonly bots: AlertBots,
    private readonly outbox: NotificationOutbox,
    private readonly webhooks: AlertWebhookSender,
    private readonly metrics: BotHealthMetrics,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly scheduler: ClockScheduler,
  ) {}

  onApplicationBootstrap(): void {
    this.scheduler.every(BOT_ALERTS, ALERT_PERIOD_MS, (signal) => this.run(signal));
  }

  /** One look: every bot due an alert gets it. */
  async run(signal?: AbortSignal): Promise<void> {
    const settings = await this.settings.get();
    const timing = {
      quietPeriodMs: settings.alertQuietPeriodSeconds * 1000,
      reminderMs: settings.alertReminderHours * 3_600_000,
    };
    const now = this.clock.now();
    let webhooks = 0;
    for (const botId of await this.alerts.candidates(
      new Date(now),
      timing.quietPeriodMs,
      timing.reminderMs,
    )) {
      if (signal?.aborted) break;
      const made = await this.alerts
        .transaction(async (manager) => {
          const state = await this.alerts.read(manager, botId);
          const type = state && dueAlert(state, now, timing);
          if (!state || !type) return null;
          const [bot] = await this.bots.botsByIds([botId]);
          // Deleted meanwhile: its health row goes with it.
          if (!bot) return null;
          // Switched off: nothing is expected of it, so nothing is told (no alert, no reminder); its switch-off is
          // not a recovery either, so an alert already told closes here without one (docs/bot-health.md, Alerts).
          // (Switching it off closes it at once, BotLifecycleListener: this is for a process stopped in between.)
          if (!bot.isEnabled) {
            if (state.alertedBroken)
              await this.alerts.markAlerted(manager, botId, state, false, new Date(now));
            return null;
          }
          const { health, reason, detail, hint } = state;
          const facts = { health, reason, detail, hint, since: new Date(state.since) };
          const queued = await this.alert(manager, bot, type, facts, now);
          // Last: the destinations' delivery state rows (marked due by the outbox) before this bot's health row,
          // the lock order of the recording of sends (which writes health after the state rows), so the two never
          // wait for each other. Decided on the row as read: changed meanwhile (another instance alerted it, its
          // health moved), all of this is undone, and the next look decides again.
          if (!(await this.alerts.markAlerted(manager, botId, state, type !== 'recovered', new Date(now)))) {
            throw new AlertOvertaken();
          }
          return { type, webhooks: queued };
        })
        .catch((error: unknown) => {
          if (error instanceof AlertOvertaken) return null;
          throw error;
        });
      if (!made) continue;
      this.metrics.alerted(made.type);
      webhooks += made.webhooks;
    }
    if (webhooks > 0) await this.webhooks.wake();
  }

  /** Records the alert and queues it for every destination; answers how many webhook deliveries it queued. */
  private async alert(
    manager: EntityManager,
    bot: AlertBot,
    type: AlertType,
    state: Pick<AlertFacts, 'health' | 'reason' | 'detail' | 'hint' | 'since'>,
    now: number,
  ): Promise<number> {
    const facts = await this.alerts.record(manager, {
      ...state,
      type,
      botId: bot.id,
      botName: bot.name,
      botType: bot.botType,
      storeId: bot.storeId,
      createdAt: new Date(now),
    });
    const destinations = await this.destinations.enabledFor(manager, bot.storeId);
    const botIds = [
      ...new Set(destinations.flatMap((d) => (d.dingtalkBotId === null ? [] : [d.dingtalkBotId]))),
    ];
    const posting = await this.bots.botsByIds(botIds);
    const rows = posting.flatMap((to) =>
      notificationsForBot(to, alertMessage(facts, to.msgType, this.config.reportTimeZone), {
        storeId: to.storeId,
        kind: 'alert',
        menuReportId: null,
      }),
    );
    await this.outbox.enqueue(manager, rows);
    const webhookIds = destinations.filter((d) => d.webhookUrl !== null).map((d) => d.id);
    await this.alerts.addWebhookDeliveries(manager, facts.id, webhookIds, new Date(now));
    this.logger.log(
      `Alert ${facts.id}: bot ${bot.id} of store ${bot.storeId} ${type}${facts.reason ? ` (${facts.reason})` : ''}, ` +
        `to ${posting.length} bots and ${webhookIds.length} webhooks`,
    );
    return webhookIds.length;
  }
}

/** The bot's health row changed between the alert's decision and its writing: the alert is undone. */
class AlertOvertaken extends Error {}
