import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, Matches } from 'class-validator';

/** `?date=YYYY-MM-DD`: the day to preview, in REPORT_TIMEZONE. */
export class DailySummaryPreviewQuery {
  @ApiPropertyOptional({
    type: String,
    example: '2026-11-24',
    description: 'The day, in REPORT_TIMEZONE; default: today',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be a date such as 2026-11-24' })
  @IsISO8601({ strict: true }, { message: 'date must be a real date' })
  readonly date?: string;
}
