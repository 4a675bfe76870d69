import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { ClockScheduler } from '../common/scheduling/clock-scheduler';
import { AppConfig } from '../config/app-config';
import { DingTalkBotRepository } from '../dingtalk-bot/dingtalk-bot.repository';
import { DingTalkBot } from '../dingtalk-bot/entities/dingtalk-bot.entity';
import { MenuReport } from '../menu-report/entities/menu-report.entity';
import { notificationsForBot } from '../notify/messages/bot-notifications';
import { confirmationLink } from '../notify/messages/confirmation-link';
import { NotificationOutbox, OutgoingNotification } from '../notify/notification-outbox';
import { ConfirmationSettings, ConfirmationSettingsRepository } from './confirmation-settings.repository';
import { ConfirmationStep, ConfirmationStepsRepository, DueStep } from './confirmation-steps.repository';
import { escalationMessage, reminderMessage } from './messages/confirmation-messages';

/** Name of the job in SchedulerRegistry. */
export const CONFIRMATION_STEPS = 'kitchen-confirmation.steps';
/** How often due reminders and escalations are looked for: a deadline is met within this. */
export const CONFIRMATION_STEPS_PERIOD_MS = 10_000;
/** Reports taken per step and look; the rest wait for the next look (a backlog never holds one run long). */
const BATCH = 200;

/**
 * Reminds, then escalates, reports nobody confirmed (docs/confirmation.md). Each step of each report is one
 * transaction under the report's confirmation row lock (SKIP LOCKED: instances share the work): the step still due
 * (unconfirmed, pending), its notifications written through the outbox (the delivery queue: durable, within each
 * bot's rate limit, in the delivery log), and the step marked sent in the same commit, so it goes at most once. A
 * press takes the same lock and cancels what is pending: a press before the step's transaction means no step; a
 * press after it leaves the step sent, skips its messages still waiting in the queue (those already on their way
 * go) and cancels the escalation.
 */
@Injectable()
export class ConfirmationEscalationJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(ConfirmationEscalationJob.name);

  constructor(
    private readonly steps: ConfirmationStepsRepository,
    private readonly settings: ConfirmationSettingsRepository,
    private readonly bots: DingTalkBotRepository,
    private readonly outbox: NotificationOutbox,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly scheduler: ClockScheduler,
  ) {}

  onApplicationBootstrap(): void {
    this.scheduler.every(CONFIRMATION_STEPS, CONFIRMATION_STEPS_PERIOD_MS, (signal) => this.run(signal));
  }

  /** One look: every reminder, then every escalation, that is due. */
  async run(signal?: AbortSignal): Promise<void> {
    for (const step of ['reminder', 'escalation'] as const) {
      const now = new Date(this.clock.now());
      for (const reportId of await this.steps.due(step, now, BATCH)) {
        if (signal?.aborted) return;
        await this.steps.transaction(async (manager) => {
          const due = await this.steps.lockDue(manager, step, reportId, now);
          // Confirmed meanwhile, or another instance has it.
          if (!due) return;
          await this.send(manager, step, due, now);
        });
      }
    }
  }

  private async send(manager: EntityManager, step: ConfirmationStep, due: DueStep, now: Date): Promise<void> {
    // In turn: both run on the transaction's one connection, where node-postgres would only queue the second (a
    // pattern it deprecates).
    const report = await manager.findOneBy(MenuReport, { id: due.menuReportId });
    const settings = await this.settings.get(due.storeId, manager);
    // The store switched confirmation off since: nothing more is asked of its kitchen.
    const rows = report && settings.enabled ? await this.rowsOf(manager, step, due, report, settings) : [];
    const queued = await this.outbox.enqueue(manager, rows);
    await this.steps.remember(
      manager,
      due.menuReportId,
      queued.map((row) => row.id),
    );
    await this.steps.mark(manager, step, due.menuReportId, rows.length > 0 ? 'sent' : 'skipped', now);
    if (rows.length === 0) {
      this.logger.warn(`Report ${due.menuReportId}: its ${step} had nowhere to go (skipped)`);
    }
  }

  private async rowsOf(
    manager: EntityManager,
    step: ConfirmationStep,
    due: DueStep,
    report: MenuReport,
    settings: ConfirmationSettings,
  ): Promise<OutgoingNotification[]> {
    const zone = this.config.reportTimeZone;
    const minutes = Math.round((due.dueAt.getTime() - due.reportedAt.getTime()) / 60_000);
    const origin = { storeId: due.storeId, kind: step, menuReportId: null };
    if (step === 'escalation') {
      if (settings.escalationBotId === null) return [];
      const [bot] = await this.bots.botsByIds([settings.escalationBotId]);
      if (!bot?.isEnabled) return [];
      // Filed under the escalation bot's store, as whatever it posts (the delivery log's scoping).
      return notificationsForBot(bot, escalationMessage(report, minutes, due.remindedAt, zone), {
        ...origin,
        storeId: bot.storeId,
      });
    }
    const waiting = await this.steps.waiting(manager, due.menuReportId);
    const bots = new Map<number, DingTalkBot>(
      (await this.bots.botsByIds(waiting.map((w) => w.botId))).map((bot) => [bot.id, bot]),
    );
    const publicUrl = this.config.confirmation.publicUrl;
    return waiting.flatMap((notification) => {
      const bot = bots.get(notification.botId);
      // Deleted, disabled or moved to another store since: its group is no longer this kitchen's.
      if (!bot?.isEnabled || bot.storeId !== due.storeId) return [];
      const buttons = notification.buttons.map((button, index) => ({
        label: button.label,
        url:
          notification.ticket && publicUrl
            ? confirmationLink(publicUrl, this.config.confirmation.linkKey, notification.ticket, index)
            : null,
      }));
      return notificationsForBot(bot, reminderMessage(report, minutes, buttons, zone), origin).map((row) => ({
        ...row,
        // The store's people to wake, besides the bot's own mentions.
        atMobiles: [...new Set([...row.atMobiles, ...settings.reminderAtMobiles])],
        atUserIds: [...new Set([...row.atUserIds, ...settings.reminderAtUserIds])],
      }));
    });
  }
}
