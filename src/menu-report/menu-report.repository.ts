import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** The total of one dish in one unit over a day. */
export interface DishDayTotal {
  dishId: number | null;
  dishName: string | null;
  unit: string;
  quantity: number;
}

/** A store's reports of one day, summed. */
export interface StoreDayReports {
  /** Largest total first. */
  totals: DishDayTotal[];
  reportCount: number;
  reporterCount: number;
  firstReportAt: Date | null;
  lastReportAt: Date | null;
}

interface TotalRow {
  dish_id: number | null;
  dish_name: string | null;
  unit: string;
  /** numeric, as text: a sum of numerics is exact. */
  quantity: string;
}

interface CountRow {
  report_count: number;
  reporter_count: number;
  first_at: Date | null;
  last_at: Date | null;
}

/** A store's day, $1 the store, $2 the date and $3 the zone: local midnight to local midnight. */
const STORE_DAY = `store_id = $1
  AND created_at >= ($2::date::timestamp AT TIME ZONE $3)
  AND created_at < (($2::date + 1)::timestamp AT TIME ZONE $3)`;

/**
 * The queries other modules make of the menu reports (table menu_reports), each behind a typed method; they
 * reach it through the ports they declare (bound in src/composition.module.ts).
 */
@Injectable()
export class MenuReportRepository {
  /** A store's reports of one day in `timeZone`, summed per dish and unit, in the caller's transaction. */
  async storeDay(
    manager: EntityManager,
    storeId: number,
    day: string,
    timeZone: string,
  ): Promise<StoreDayReports> {
    const totals = await manager.query<TotalRow[]>(
      `SELECT dish_id, dish_name, unit, sum(quantity)::text AS quantity FROM menu_reports
       WHERE ${STORE_DAY}
       GROUP BY dish_id, dish_name, unit
       ORDER BY sum(quantity) DESC, dish_name, dish_id, unit`,
      [storeId, day, timeZone],
    );
    const [counts] = await manager.query<CountRow[]>(
      `SELECT count(*)::int AS report_count, count(DISTINCT reported_by)::int AS reporter_count,
              min(created_at) AS first_at, max(created_at) AS last_at
       FROM menu_reports WHERE ${STORE_DAY}`,
      [storeId, day, timeZone],
    );
    return {
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
