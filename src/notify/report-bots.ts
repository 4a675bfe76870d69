import type { EntityManager } from 'typeorm';
import { Port, port } from '../common/port';
import type { BotForReport } from '../dingtalk-bot/dingtalk-bot.repository';

/** What planning a report's notifications needs of a bot: where and how it sends, and its template if it has one. */
export type PlannedBot = BotForReport;

/**
 * What a report's notifications read of the bots (table ding_talk_bots, owned by dingtalk-bot): a port this module
 * declares, implemented by the bots' repository and bound in src/composition.module.ts.
 */
export interface ReportBots {
  /**
   * In the report's connection: the enabled bots of `storeId` with their report templates, in id order, and the
   * next value of `idSequence` (the report's id), in one statement (it runs for every report).
   */
  enabledOfStoreForReport(
    manager: EntityManager,
    storeId: number,
    idSequence: string,
  ): Promise<{ nextId: number; bots: PlannedBot[] }>;
}
export const REPORT_BOTS: Port<ReportBots> = port<ReportBots>('ReportBots');
