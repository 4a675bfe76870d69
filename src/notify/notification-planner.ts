import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { prepared } from '../database/prepared-statements';
import { DingTalkBot, MsgType } from '../dingtalk-bot/entities/dingtalk-bot.entity';
import type { ReportedDish } from '../events/menu-report.events';
import { MENU_REPORT_ID_SEQUENCE } from '../menu-report/entities/menu-report.entity';
import { LeadingWrite, NotificationOutbox, QueuedNotification } from './notification-outbox';
import { notificationsForBot } from './messages/bot-notifications';
import { renderReportMessage, renderReportWithTemplate } from './messages/report-message';

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
  ) {}

  /** The report's id and its store's enabled bots, in one statement. */
  async readForReport(
    manager: EntityManager,
    storeId: number,
  ): Promise<{ reportId: number; bots: PlannedBot[] }> {
    return enabledBotsOfStore(manager, storeId);
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

/** What planning needs of a bot: where and how it sends, and its template if it has one. */
export type PlannedBot = Pick<
  DingTalkBot,
  | 'id'
  | 'botType'
  | 'msgType'
  | 'atMobiles'
  | 'atAll'
  | 'userIds'
  | 'openConversationId'
  | 'atUserIds'
  | 'agentId'
> & { template: { msgType: MsgType; title: string; body: string } | null };

// The id is taken in a subquery of one row, so nextval runs once whatever the number of bots (none: one row of
// NULL bot columns).
const ENABLED_BOTS_OF_STORE = prepared(
  'report.enabled-bots',
  `SELECT r.report_id, b.id, b.bot_type, b.msg_type, b.at_mobiles, b.at_all, b.user_ids, b.open_conversation_id,
          b.at_user_ids, b.agent_id,
          t.msg_type AS template_msg_type, t.title AS template_title, t.body AS template_body
   FROM (SELECT nextval('${MENU_REPORT_ID_SEQUENCE}')::integer AS report_id) r
   LEFT JOIN ding_talk_bots b ON b.store_id = $1 AND b.is_enabled
   -- A summary template renders the daily summary only: such a bot's reports use the built-in message.
   LEFT JOIN message_templates t ON t.id = b.template_id AND t.purpose = 'report'
   ORDER BY b.id`,
);

/**
 * A new report's id and the enabled bots of its store with their templates, in id order: one statement, because it
 * runs for every report.
 */
async function enabledBotsOfStore(
  manager: EntityManager,
  storeId: number,
): Promise<{ reportId: number; bots: PlannedBot[] }> {
  const rows: Array<{
    report_id: number;
    id: number | null;
    bot_type: DingTalkBot['botType'];
    msg_type: MsgType;
    at_mobiles: string[];
    at_all: boolean;
    user_ids: string[];
    open_conversation_id: string | null;
    at_user_ids: string[];
    agent_id: string | null;
    template_msg_type: MsgType | null;
    template_title: string | null;
    template_body: string | null;
  }> = await manager.query(ENABLED_BOTS_OF_STORE, [storeId]);
  const bots = rows
    .filter((row) => row.id !== null)
    .map((row) => ({
      id: row.id!,
      botType: row.bot_type,
      msgType: row.msg_type,
      atMobiles: row.at_mobiles,
      atAll: row.at_all,
      userIds: row.user_ids,
      openConversationId: row.open_conversation_id,
      atUserIds: row.at_user_ids,
      agentId: row.agent_id,
      template:
        row.template_msg_type === null
          ? null
          : { msgType: row.template_msg_type, title: row.template_title!, body: row.template_body! },
    }));
  return { reportId: rows[0].report_id, bots };
}
