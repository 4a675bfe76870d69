import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { StoreFilterQuery } from '../../common/http/store-scoped.dto';
import { NOTIFICATION_STATUSES, NotificationStatus } from '../entities/notification.entity';

const MAX_ID = 2_147_483_647;

/** `GET /notifications` filters (SPEC §7). */
export class ListNotificationsQuery extends StoreFilterQuery {
  @ApiPropertyOptional({ example: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  readonly bot_id?: number;

  @ApiPropertyOptional({ enum: NOTIFICATION_STATUSES })
  @IsOptional()
  @IsIn(NOTIFICATION_STATUSES)
  readonly status?: NotificationStatus;

  @ApiPropertyOptional({ example: 5 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  readonly menu_report_id?: number;
}
