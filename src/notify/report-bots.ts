import type { EntityManager } from 'typeorm';
import { Port, port } from '../common/port';
import type { ColumnRead } from '../database/column-read';
import type { BotForReport } from '../dingtalk-bot/dingtalk-bot.repository';

/** What planning a report's notifications needs of a bot: where and how it sends, and its template if it has one. */
export type PlannedBot = BotForReport;

/**
 * What a report's notifications read of the bots (table ding_talk_bots, owned by dingtalk-bot): a port this module
 * declares, implemented by the bots' repository and bound in src/composition.module.ts.
 */
export interface ReportBots {
  /**
   * In the report's connection: the enabled bots of `storeId` with their report templates, in id order, the next
   * value of `idSequence` (the report's id), and `ofStore` keyed by `storeId` (another module's value of the store:
   * its kitchen confirmation), in one statement (it runs for every report).
   */
  enabledOfStoreForReport<T>(
    manager: EntityManager,
    storeId: number,
    idSequence: string,
    ofStore: ColumnRead<T>,
  ): Promise<{ nextId: number; bots: PlannedBot[]; ofStore: T }>;
}
export const REPORT_BOTS: Port<ReportBots> = port<ReportBots>('ReportBots');
