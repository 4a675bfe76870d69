import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { DingTalkBotService } from '../dingtalk-bot/dingtalk-bot.service';
import { MsgType } from '../dingtalk-bot/entities/dingtalk-bot.entity';
import { notificationsForBot } from '../notify/messages/bot-notifications';
import { NotificationOutbox, QueuedNotification } from '../notify/notification-outbox';
import { DailySummaryRepository } from './daily-summary.repository';
import { DailySummaryPreviewResponse } from './dto/daily-summary-preview.response';
import { dayIn } from './report-day';
import {
  DaySummary,
  renderSummaryMessage,
  renderSummaryWithTemplate,
  SummaryMessage,
} from '../notify/messages/summary-message';
import {
  DueQuery,
  SUMMARY_BOTS,
  SUMMARY_REPORTS,
  SUMMARY_TEMPLATES,
  SummaryBots,
  SummaryReports,
  SummaryTemplates,
} from './summary-sources';

/**
 * Daily summaries: each bot with a `daily_summary_at` gets the day's totals of its store once a day, as a
 * notification of kind `daily_summary` through the delivery queue. `sendDue` is run every minute by
 * DailySummaryJob; `preview` shows what a bot would get for a day.
 */
@Injectable()
export class DailySummaryService {
  private readonly logger = new Logger(DailySummaryService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: DailySummaryRepository,
    @Inject(SUMMARY_BOTS) private readonly summaryBots: SummaryBots,
    @Inject(SUMMARY_REPORTS) private readonly reports: SummaryReports,
    @Inject(SUMMARY_TEMPLATES) private readonly templates: SummaryTemplates,
    private readonly outbox: NotificationOutbox,
    private readonly bots: DingTalkBotService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * Queues the summary of today for every bot whose moment has come and that has none yet. After downtime this
   * catches up the same day; a day that ended meanwhile is never summarised. Returns how many summaries it queued.
   */
  async sendDue(): Promise<number> {
    const now = this.clock.now();
    const query: DueQuery = {
      day: dayIn(now, this.config.reportTimeZone),
      timeZone: this.config.reportTimeZone,
      now: new Date(now),
    };
    let sent = 0;
    for (const botId of await this.due(query)) {
      try {
        if (await this.sendOne(botId, query)) sent += 1;
      } catch (error) {
        // The day stays free for this bot (its transaction rolled back): the next run tries again.
        this.logger.error(`Daily summary of bot ${botId} failed: ${(error as Error).message}`);
      }
    }
    this.logger.debug(
      `Daily summaries of ${query.day} checked at ${query.now.toISOString()}: ${sent} queued`,
    );
    return sent;
  }

  /** What `botId` would get for `date` (default: today in REPORT_TIMEZONE), with the caller's store scoping. */
  async preview(
    user: AuthUser,
    botId: number,
    date: string | undefined,
  ): Promise<DailySummaryPreviewResponse> {
    const visible = await this.bots.get(user, botId);
    const day = date ?? dayIn(this.clock.now(), this.config.reportTimeZone);
    const message = await this.compose(
      this.dataSource.manager,
      { storeId: visible.store_id, msgType: visible.msg_type, templateId: visible.template_id },
      day,
    );
    return {
      bot_id: botId,
      date: day,
      msg_type: message.msgType,
      title: message.title,
      text: message.content,
      byte_size: Buffer.byteLength(message.content, 'utf8'),
      // Cut as sendOne will cut it, for this bot's channels.
      parts: notificationsForBot(
        {
          id: botId,
          botType: visible.bot_type,
          atMobiles: visible.at_mobiles,
          atAll: visible.at_all,
          userIds: visible.user_ids,
          openConversationId: visible.open_conversation_id,
          atUserIds: visible.at_user_ids,
          agentId: visible.agent_id,
        },
        message,
        { storeId: visible.store_id, kind: 'daily_summary', menuReportId: null },
      ).length,
    };
  }

  /** Bots that may be due now: their moment has come and they have no summary of the day yet. */
  private async due(query: DueQuery): Promise<number[]> {
    const came = await this.summaryBots.summaryMomentCame(query);
    const summarised = await this.repository.summarised(query.day, came);
    return came.filter((botId) => !summarised.has(botId));
  }

  /**
   * Queues the bot's summary of the day if it is due, its settings checked again in the transaction (a change
   * since `due` read them counts), and if this caller takes the day (DailySummaryRepository.claim).
   */
  private async sendOne(botId: number, query: DueQuery): Promise<boolean> {
    const queued = await this.dataSource.transaction(async (manager): Promise<QueuedNotification[]> => {
      const bot = await this.summaryBots.lockIfSummaryMomentCame(manager, botId, query);
      if (!bot || !(await this.repository.claim(manager, botId, query.day))) return [];
      const message = await this.compose(manager, bot, query.day);
      return this.outbox.enqueue(
        manager,
        notificationsForBot(bot, message, {
          storeId: bot.storeId,
          kind: 'daily_summary',
          menuReportId: null,
        }),
      );
    });
    if (queued.length === 0) return false;
    // Committed: the outbox has woken the dispatcher.
    this.logger.log(`Daily summary of ${query.day} queued for bot ${botId} (${queued.length} message(s))`);
    return true;
  }

  /** The summary of a store's day, through the bot's template when that is a summary template. */
  private async compose(
    manager: EntityManager,
    bot: { storeId: number; msgType: MsgType; templateId: number | null },
    day: string,
  ): Promise<SummaryMessage> {
    const zone = this.config.reportTimeZone;
    const summary: DaySummary = {
      storeId: bot.storeId,
      date: day,
      ...(await this.reports.storeDay(manager, bot.storeId, day, zone)),
    };
    const template =
      bot.templateId === null ? null : await this.templates.summaryTemplate(manager, bot.templateId);
    return template
      ? renderSummaryWithTemplate(summary, template, zone)
      : renderSummaryMessage(summary, bot.msgType, zone);
  }
}
