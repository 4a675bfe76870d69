import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, Matches } from 'class-validator';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { StoreFilterQuery } from './store-scoped.dto';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A page of a store's list narrowed to whole days of the stores' time zone (`?date_from=…&date_to=…`). */
export class StoreDaysQuery extends StoreFilterQuery {
  @ApiPropertyOptional({
    type: String,
    example: '2026-11-01',
    description: 'First day, inclusive, in REPORT_TIMEZONE',
  })
  @IsOptional()
  @Matches(DATE, { message: 'date_from must be a date such as 2026-11-24' })
  @IsISO8601({ strict: true }, { message: 'date_from must be a real date' })
  readonly date_from?: string;

  @ApiPropertyOptional({
    type: String,
    example: '2026-11-30',
    description: 'Last day, inclusive, in REPORT_TIMEZONE',
  })
  @IsOptional()
  @Matches(DATE, { message: 'date_to must be a date such as 2026-11-24' })
  @IsISO8601({ strict: true }, { message: 'date_to must be a real date' })
  readonly date_to?: string;
}

/**
 * Rows whose `column` (a creation instant) falls on the days `from`..`to` in `zone`: PostgreSQL turns each local
 * midnight into an instant, so the index on the column serves the range.
 */
export function whereCreatedOnDays<T extends ObjectLiteral>(
  builder: SelectQueryBuilder<T>,
  column: string,
  days: { from?: string; to?: string; zone: string },
): void {
  if (days.from) {
    builder.andWhere(`${column} >= (CAST(:dayFrom AS date)::timestamp AT TIME ZONE :dayZone)`, {
      dayFrom: days.from,
      dayZone: days.zone,
    });
  }
  if (days.to) {
    builder.andWhere(`${column} < ((CAST(:dayTo AS date) + 1)::timestamp AT TIME ZONE :dayZone)`, {
      dayTo: days.to,
      dayZone: days.zone,
    });
  }
}
