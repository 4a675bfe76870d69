import { EntityManager } from 'typeorm';
import { Port, port } from '../common/port';
import { DingTalkBot } from '../dingtalk-bot/entities/dingtalk-bot.entity';
import { MessageTemplate } from '../message-template/entities/message-template.entity';
import { NotifiedBot } from '../notify/messages/bot-notifications';
import { DaySummary } from '../notify/messages/summary-message';

// What a daily summary reads from tables other modules own: ports this module declares, implemented by the
// owners' repositories and bound in src/composition.module.ts.

/** The stores' day at an instant: which bots' summaries are due. */
export interface DueQuery {
  /** The stores' date now (YYYY-MM-DD in REPORT_TIMEZONE). */
  day: string;
  timeZone: string;
  now: Date;
}

/** The bot settings a summary is addressed and rendered with. */
export type SummaryBot = NotifiedBot & Pick<DingTalkBot, 'storeId' | 'msgType' | 'templateId'>;

/**
 * The bots. A bot's summary moment on a day has come when it is enabled with a `daily_summary_at`, that time of
 * the day has come, and it was set up (or enabled) before that moment.
 */
export interface SummaryBots {
  /** Bots whose summary moment of `query.day` has come, by id. */
  summaryMomentCame(query: DueQuery): Promise<number[]>;
  /**
   * In the caller's transaction: the bot, if its moment has come by its settings now; null otherwise. The bot
   * cannot be deleted before the transaction ends.
   */
  lockIfSummaryMomentCame(manager: EntityManager, botId: number, query: DueQuery): Promise<SummaryBot | null>;
}
export const SUMMARY_BOTS: Port<SummaryBots> = port<SummaryBots>('SummaryBots');

/** The menu reports. */
export interface SummaryReports {
  /** A store's reports of `day` in `timeZone`, summed per dish and unit (largest total first). */
  storeDay(
    manager: EntityManager,
    storeId: number,
    day: string,
    timeZone: string,
  ): Promise<Omit<DaySummary, 'storeId' | 'date'>>;
}
export const SUMMARY_REPORTS: Port<SummaryReports> = port<SummaryReports>('SummaryReports');

/** The message templates. */
export interface SummaryTemplates {
  /** Template `id` if it is a daily summary template; null otherwise. */
  summaryTemplate(
    manager: EntityManager,
    id: number,
  ): Promise<Pick<MessageTemplate, 'msgType' | 'title' | 'body'> | null>;
}
export const SUMMARY_TEMPLATES: Port<SummaryTemplates> = port<SummaryTemplates>('SummaryTemplates');
