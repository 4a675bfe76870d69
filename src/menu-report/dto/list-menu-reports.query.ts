import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, Matches } from 'class-validator';
import { StoreFilterQuery } from '../../common/http/store-scoped.dto';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class ListMenuReportsQuery extends StoreFilterQuery {
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
