import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/**
 * The SQL of daily summaries (table daily_summaries: one row per bot and day that was summarised). Only today is
 * ever looked at: a day missed while the service was down is not summarised later.
 */
@Injectable()
export class DailySummaryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Those of `botIds` that have their summary of `day` already. */
  async summarised(day: string, botIds: readonly number[]): Promise<Set<number>> {
    if (botIds.length === 0) return new Set();
    const rows = await this.dataSource.query<Array<{ bot_id: number }>>(
      `SELECT bot_id FROM daily_summaries WHERE day = $1::date AND bot_id = ANY($2::int[])`,
      [day, [...botIds]],
    );
    return new Set(rows.map((row) => row.bot_id));
  }

  /**
   * Takes the bot's summary of `day` for the caller's transaction: true for exactly one caller, whatever the number
   * of instances or restarts. The primary key of `daily_summaries` decides: a concurrent insert waits for the first
   * transaction and then does nothing. Written in the same transaction as the summary's notifications, a taken day
   * always has its notifications, and a rolled-back one stays free.
   */
  async claim(manager: EntityManager, botId: number, day: string): Promise<boolean> {
    const rows = await manager.query<Array<{ bot_id: number }>>(
      `INSERT INTO daily_summaries (bot_id, day) VALUES ($1, $2::date)
       ON CONFLICT DO NOTHING RETURNING bot_id`,
      [botId, day],
    );
    return rows.length > 0;
  }
}
