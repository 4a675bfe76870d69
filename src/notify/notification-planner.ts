import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { botMentions } from '../dingtalk-bot/bot-kinds';
import { AppConfig } from '../config/app-config';
import type { ReportedDish } from '../events/menu-report.events';
import { MENU_REPORT_ID_SEQUENCE } from '../menu-report/entities/menu-report.entity';
import {
  LeadingWrite,
  NotificationOutbox,
  OutgoingNotification,
  QueuedNotification,
} from './notification-outbox';
import { notificationsForBot } from './messages/bot-notifications';
import { confirmableReport, LinkSigning } from './messages/confirmable-report';
import { renderReportMessage, renderReportWithTemplate } from './messages/report-message';
import { PlannedBot, REPORT_BOTS, ReportBots } from './report-bots';
import {
  ConfirmationPlan,
  ConfirmationRequest,
  REPORT_CONFIRMATIONS,
  ReportConfirmations,
} from './report-confirmations';

/** What a report's notifications are planned from: its id, its store's enabled bots and confirmation. */
export interface ReportPlan {
  reportId: number;
  bots: PlannedBot[];
  /** The store's kitchen confirmation (docs/confirmation.md); null when it is off. */
  confirmation: ConfirmationPlan | null;
}

/**
 * Writes the notifications of a new menu report: one per enabled bot of its store, in the statement that writes the
 * report itself (the report's own INSERT goes first in it: LeadingWrite), so that the report and its notifications
 * are committed together (once the API has answered 201, no crash can lose one). In a store whose kitchen confirms
 * its reports, each bot's notification carries buttons where its kind allows, and the report's confirmation is
 * written after it, in the same transaction (ReportConfirmations.open).
 */
@Injectable()
export class NotificationPlanner {
  private readonly links: LinkSigning;

  constructor(
    private readonly config: AppConfig,
    private readonly outbox: NotificationOutbox,
    @Inject(REPORT_BOTS) private readonly bots: ReportBots,
    @Inject(REPORT_CONFIRMATIONS) private readonly confirmations: ReportConfirmations,
  ) {
    this.links = { publicUrl: config.confirmation.publicUrl, key: config.confirmation.linkKey };
  }

  /**
   * The report's id (from menu_reports' own sequence), its store's enabled bots, and the store's confirmation, in
   * one statement.
   */
  async readForReport(manager: EntityManager, storeId: number): Promise<ReportPlan> {
    const { nextId, bots, ofStore } = await this.bots.enabledOfStoreForReport(
      manager,
      storeId,
      MENU_REPORT_ID_SEQUENCE,
      this.confirmations.planOfStore,
    );
    // A store without bots sends nothing to confirm: its confirmation, read all the same, is of no use.
    return { reportId: nextId, bots, confirmation: bots.length === 0 ? null : ofStore };
  }

  /**
   * The report (`reportRow`) and one notification per bot (and part) in one statement; with a confirmation, the
   * confirmation's rows after it: the caller's transaction must hold both (ReportNotifications).
   */
  async writeForReport(
    manager: EntityManager,
    plan: Pick<ReportPlan, 'bots' | 'confirmation'>,
    report: ReportedDish,
    reportRow: LeadingWrite,
  ): Promise<Array<QueuedNotification & { confirmation: boolean }>> {
    const zone = this.config.reportTimeZone;
    const origin = { storeId: report.storeId, kind: 'menu_report' as const, menuReportId: report.id };
    const requests = new Map<number, Omit<ConfirmationRequest, 'notificationId'>>();
    const rows = plan.bots.flatMap((bot): OutgoingNotification[] => {
      const shown = bot.template
        ? renderReportWithTemplate(report, bot.template, zone)
        : { msgType: bot.msgType, ...renderReportMessage(report, bot.msgType, zone) };
      const confirmation = plan.confirmation;
      if (!confirmation) return notificationsForBot(bot, shown, origin);
      const markdown = bot.template ? shown : { ...renderReportMessage(report, 'markdown', zone) };
      const decision = confirmableReport(
        bot,
        report,
        { ...markdown, markdown: !bot.template || shown.msgType === 'markdown' },
        confirmation.buttons,
        this.links,
        zone,
        // A card goes to the group; the bot's users get what they get without confirmation (its plain rendition).
        shown,
      );
      if (decision.kind === 'not_requested') {
        requests.set(bot.id, {
          botId: bot.id,
          status: 'not_requested',
          reason: decision.reason,
          ticket: null,
          buttons: [],
        });
        return notificationsForBot(bot, shown, origin);
      }
      requests.set(bot.id, {
        botId: bot.id,
        status: 'unconfirmed',
        reason: null,
        ticket: decision.ticket,
        buttons: confirmation.buttons,
      });
      // One message, never in parts (confirmableReport measured it): the buttons belong to it whole.
      return [
        {
          ...origin,
          partOf: null,
          botId: bot.id,
          status: 'pending',
          hint: null,
          ...decision.message,
          ...botMentions(bot),
        },
      ];
    });
    const queued = await this.outbox.enqueue(manager, rows, reportRow);
    if (plan.confirmation) {
      // The first row of each bot that was written (a bot disabled meanwhile got none): its message's buttons.
      const written = new Map<number, string>();
      for (const row of queued) if (!written.has(row.botId)) written.set(row.botId, row.id);
      const opened = [...written].flatMap(([botId, notificationId]) => {
        const request = requests.get(botId);
        return request ? [{ ...request, notificationId }] : [];
      });
      await this.confirmations.open(manager, plan.confirmation, report, opened);
    }
    return queued.map((row) => ({ ...row, confirmation: plan.confirmation !== null }));
  }
}
