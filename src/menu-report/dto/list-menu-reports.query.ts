import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { StoreDaysQuery } from '../../common/http/day-range.query';
import { CONFIRMATION_FILTERS, ConfirmationFilter } from './menu-report.response';

/** `GET /menu-reports` filters: a store, whole days, kitchen confirmation. */
export class ListMenuReportsQuery extends StoreDaysQuery {
  @ApiPropertyOptional({
    enum: CONFIRMATION_FILTERS,
    example: 'unconfirmed',
    description:
      'Only reports whose kitchen has (not) confirmed them; reports that asked for none are left out',
  })
  @IsOptional()
  @IsIn(CONFIRMATION_FILTERS)
  readonly confirmation?: ConfirmationFilter;
}
