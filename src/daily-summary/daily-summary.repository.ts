import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DaySummary } from './summary-message';

/** A bot whose summary of the day is due: its moment has come and nothing was written for it yet. */
export interface DueSummary {
  botId: number;
}

export interface DueQuery {
  /** The stores' date now (YYYY-MM-DD in REPORT_TIMEZONE). */
  day: string;
  timeZone: string;
  now: Date;
}

interface TotalRow {
  dish_id: number | null;
  dish_name: string | null;
  unit: string;
  quantity: string;
}

interface CountRow {
  report_count: number;
  reporter_count: number;
  first_at: Date | null;
  last_at: Date | null;
}

/**
 * A bot `b` is due on day $1 (in zone $2) at instant $3 when it is enabled with a `daily_summary_at`, its moment that
 * day has come, it was set up (or enabled) before that moment, and it has no summary of that day yet.
 */
const DUE = `b.daily_summary_at IS NOT NULL AND b.is_enabled
  AND (($1::date + b.daily_summary_at::time) AT TIME ZONE $2) <= $3::timestamptz
  AND (b.daily_summary_since IS NULL
       OR b.daily_summary_since <= (($1::date + b.daily_summary_at::time) AT TIME ZONE $2))
  AND NOT EXISTS (SELECT 1 FROM daily_summaries s WHERE s.bot_id = b.id AND s.day = $1::date)`;

/**
 * The SQL of daily summaries. A bot's moment on a day is its `daily_summary_at` on that date in REPORT_TIMEZONE,
 * turned into an instant by PostgreSQL (`(date + time) AT TIME ZONE zone`); a store's day is local midnight to
 * local midnight the same way. Only today is ever looked at: a day missed while the service was down is not
 * summarised later.
 */
@Injectable()
export class DailySummaryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Bots that may be due now (see DUE): what the minute job tries to claim, one at a time.
   */
  async due({ day, timeZone, now }: DueQuery): Promise<DueSummary[]> {
    const rows: Array<{ id: number }> = await this.dataSource.query(
      `SELECT b.id FROM ding_talk_bots b WHERE ${DUE} ORDER BY b.id`,
      [day, timeZone, now],
    );
    return rows.map((row) => ({ botId: row.id }));
  }

  /**
   * Takes the bot's summary of `day` for the caller's transaction if it is due: true for exactly one caller,
   * whatever the number of instances or restarts. The primary key of `daily_summaries` decides: a concurrent insert
   * waits for the first transaction and then does nothing. Written in the same transaction as the summary's
   * notifications, a taken day always has its notifications, and a rolled-back one stays free. The bot's settings
   * are checked again in the same statement, so a change since `due` read them counts.
   */
  async claim(manager: EntityManager, botId: number, { day, timeZone, now }: DueQuery): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO daily_summaries (bot_id, day)
       SELECT b.id, $1::date FROM ding_talk_bots b WHERE b.id = $4 AND ${DUE}
       ON CONFLICT DO NOTHING RETURNING bot_id`,
      [day, timeZone, now, botId],
    );
    return rows.length > 0;
  }

  /** A store's reports of one day in REPORT_TIMEZONE, summed per dish and unit. */
  async daySummary(
    manager: EntityManager,
    storeId: number,
    day: string,
    timeZone: string,
  ): Promise<DaySummary> {
    const window = `store_id = $1
       AND created_at >= ($2::date::timestamp AT TIME ZONE $3)
       AND created_at < (($2::date + 1)::timestamp AT TIME ZONE $3)`;
    const totals: TotalRow[] = await manager.query(
      `SELECT dish_id, dish_name, unit, sum(quantity)::text AS quantity FROM menu_reports
       WHERE ${window}
       GROUP BY dish_id, dish_name, unit
       ORDER BY sum(quantity) DESC, dish_name, dish_id, unit`,
      [storeId, day, timeZone],
    );
    const [counts]: CountRow[] = await manager.query(
      `SELECT count(*)::int AS report_count, count(DISTINCT reported_by)::int AS reporter_count,
              min(created_at) AS first_at, max(created_at) AS last_at
       FROM menu_reports WHERE ${window}`,
      [storeId, day, timeZone],
    );
    return {
      storeId,
      date: day,
      totals: totals.map((row) => ({
        dishId: row.dish_id,
        dishName: row.dish_name,
        unit: row.unit,
        quantity: Number(row.quantity),
      })),
      reportCount: counts.report_count,
      reporterCount: counts.reporter_count,
      firstReportAt: counts.first_at === null ? null : new Date(counts.first_at),
      lastReportAt: counts.last_at === null ? null : new Date(counts.last_at),
    };
  }
}
