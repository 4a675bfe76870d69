import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import type { ReportedDish } from '../events/menu-report.events';
import { MENU_REPORT_ID_SEQUENCE } from '../menu-report/entities/menu-report.entity';
import { LeadingWrite, NotificationOutbox, QueuedNotification } from './notification-outbox';
import { notificationsForBot } from './messages/bot-notifications';
import { renderReportMessage, renderReportWithTemplate } from './messages/report-message';
import { PlannedBot, REPORT_BOTS, ReportBots } from './report-bots';

/**
 * Writes the notifications of a new menu report: one per enabled bot of its store, in the statement that writes the
 * report itself (the report's own INSERT goes first in it: LeadingWrite), so that the report and its notifications
 * are committed together (once the API has answered 201, no crash can lose one).
 */
@Injectable()
export class NotificationPlanner {
  constructor(
    private readonly config: AppConfig,
    private readonly outbox: NotificationOutbox,
    @Inject(REPORT_BOTS) private readonly bots: ReportBots,
  ) {}

  /** The report's id (from menu_reports' own sequence) and its store's enabled bots, in one statement. */
  async readForReport(
    manager: EntityManager,
    storeId: number,
  ): Promise<{ reportId: number; bots: PlannedBot[] }> {
    const { nextId, bots } = await this.bots.enabledOfStoreForReport(
      manager,
      storeId,
      MENU_REPORT_ID_SEQUENCE,
    );
    return { reportId: nextId, bots };
  }

  /** The report (`reportRow`) and one notification per bot (and part) in one statement. */
  async writeForReport(
    manager: EntityManager,
    bots: readonly PlannedBot[],
    report: ReportedDish,
    reportRow: LeadingWrite,
  ): Promise<QueuedNotification[]> {
    const rows = bots.flatMap((bot) =>
      notificationsForBot(
        bot,
        bot.template
          ? renderReportWithTemplate(report, bot.template, this.config.reportTimeZone)
          : { msgType: bot.msgType, ...renderReportMessage(report, bot.msgType, this.config.reportTimeZone) },
        { storeId: report.storeId, kind: 'menu_report', menuReportId: report.id },
      ),
    );
    return this.outbox.enqueue(manager, rows, reportRow);
  }
}
