import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { INT4_MAX, QueryInteger } from '../../../common/http/strict-integer';
import { StoreDaysQuery } from '../../../common/http/day-range.query';
import { NOTIFICATION_STATUSES, NotificationStatus } from '../../../events/notification.events';
import { NOTIFICATION_KINDS, NotificationKind } from '../../entities/notification.entity';
import { CONFIRMATION_FILTERS, ConfirmationFilter } from '../../../menu-report/dto/menu-report.response';

/** `GET /notifications` filters; the days are those the notifications were made on. */
export class ListNotificationsQuery extends StoreDaysQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: INT4_MAX, example: 1 })
  @IsOptional()
  @QueryInteger()
  readonly bot_id?: number;

  @ApiPropertyOptional({ enum: NOTIFICATION_STATUSES, example: 'failed' })
  @IsOptional()
  @IsIn(NOTIFICATION_STATUSES)
  readonly status?: NotificationStatus;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: INT4_MAX, example: 5 })
  @IsOptional()
  @QueryInteger()
  readonly menu_report_id?: number;

  @ApiPropertyOptional({ enum: NOTIFICATION_KINDS, example: 'daily_summary' })
  @IsOptional()
  @IsIn(NOTIFICATION_KINDS)
  readonly kind?: NotificationKind;

  @ApiPropertyOptional({
    enum: CONFIRMATION_FILTERS,
    example: 'unconfirmed',
    description: "Only reports' notifications whose kitchen confirmation is this (docs/confirmation.md)",
  })
  @IsOptional()
  @IsIn(CONFIRMATION_FILTERS)
  readonly confirmation?: ConfirmationFilter;
}
