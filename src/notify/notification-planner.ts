import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { DingTalkBot } from '../dingtalk-bot/entities/dingtalk-bot.entity';
import { DINGTALK_HINTS } from '../dingtalk/dingtalk-outcome';
import type { ReportedDish } from '../events/menu-report.events';
import { MessageTemplate } from '../message-template/entities/message-template.entity';
import { NotificationOutbox, OutgoingNotification, QueuedNotification } from './notification-outbox';
import { messageParts } from './message-parts';
import { renderReportMessage, renderReportWithTemplate } from './report-message';

/**
 * Writes the notifications of a new menu report: one per enabled bot of its store, inside the caller's
 * transaction, so that the report and its notifications are committed together (once the API has
 * answered 201, no crash can lose one).
 */
@Injectable()
export class NotificationPlanner {
  constructor(
    private readonly config: AppConfig,
    private readonly outbox: NotificationOutbox,
  ) {}

  async planForReport(manager: EntityManager, report: ReportedDish): Promise<QueuedNotification[]> {
    const bots = await manager.find(DingTalkBot, {
      where: { storeId: report.storeId, isEnabled: true },
      order: { id: 'ASC' },
    });
    const templateIds = [
      ...new Set(bots.map((bot) => bot.templateId).filter((id): id is number => id !== null)),
    ];
    const templates = new Map(
      templateIds.length > 0
        ? (await manager.findBy(MessageTemplate, { id: In(templateIds) })).map((template) => [
            template.id,
            template,
          ])
        : [],
    );
    const rows = bots.flatMap((bot) => {
      const template = bot.templateId === null ? undefined : templates.get(bot.templateId);
      const message = template
        ? renderReportWithTemplate(report, template, this.config.reportTimeZone)
        : { msgType: bot.msgType, ...renderReportMessage(report, bot.msgType, this.config.reportTimeZone) };
      const noTarget = hasNoTarget(bot);
      // Over DingTalk's 20,000 bytes (a long template), the message goes in numbered parts, in order.
      return messageParts(message.title.slice(0, 200), message.content).map((part): OutgoingNotification => ({
        botId: bot.id,
        storeId: report.storeId,
        menuReportId: report.id,
        kind: 'menu_report',
        // A stream bot with neither user_ids nor open_conversation_id records its notifications as skipped.
        status: noTarget ? 'skipped' : 'pending',
        hint: noTarget ? DINGTALK_HINTS.noTarget : null,
        msgType: message.msgType,
        title: part.title,
        content: part.content,
        atMobiles: bot.botType === 'webhook' ? bot.atMobiles : [],
        atAll: bot.botType === 'webhook' && bot.atAll,
        atUserIds: bot.botType === 'stream' ? bot.atUserIds : [],
      }));
    });
    return this.outbox.enqueue(manager, rows);
  }
}

/** A stream bot with neither user_ids nor open_conversation_id has nowhere to send: its rows are skipped. */
export function hasNoTarget(bot: Pick<DingTalkBot, 'botType' | 'userIds' | 'openConversationId'>): boolean {
  return bot.botType === 'stream' && bot.userIds.length === 0 && !bot.openConversationId;
}
