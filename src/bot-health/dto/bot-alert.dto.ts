import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { StoreFilterQuery } from '../../common/http/store-scoped.dto';
import { INT4_MAX, QueryInteger } from '../../common/http/strict-integer';
import { BOT_HEALTH_REASONS, BOT_HEALTHS, BotHealth, BotHealthReason } from '../../events/bot-health.events';
import { ALERT_TYPES, AlertType } from '../messages/alert-message';

export class ListBotAlertsQuery extends StoreFilterQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: INT4_MAX, example: 1 })
  @IsOptional()
  @QueryInteger()
  readonly bot_id?: number;
}

/** One alert that was sent: a bot broke, recovered, or was still broken (the reminder). */
export class BotAlertResponse {
  @ApiProperty({ type: String, example: '1', description: 'A decimal string (a bigint)' })
  id: string;
  @ApiProperty({ enum: ALERT_TYPES, example: 'broken' })
  type: AlertType;
  @ApiProperty({ type: 'integer', example: 5 })
  bot_id: number;
  @ApiProperty({ type: String, example: '厨房群' })
  bot_name: string;
  @ApiProperty({ type: 'integer', example: 12 })
  store_id: number;
  @ApiProperty({ enum: BOT_HEALTHS, example: 'broken' })
  health: BotHealth;
  @ApiProperty({ enum: [...BOT_HEALTH_REASONS, null], nullable: true, example: 'send_refused' })
  health_reason: BotHealthReason | null;
  @ApiProperty({ nullable: true, type: String, example: 'errcode 310000: sign not match' })
  health_detail: string | null;
  @ApiProperty({ nullable: true, type: String, example: null })
  health_hint: string | null;
  @ApiProperty({
    type: String,
    example: '2026-11-24T08:00:00.000Z',
    description: 'Since when the bot had that health',
  })
  health_since: string;
  @ApiProperty({ type: String, example: '2026-11-24T08:00:40.000Z', description: 'When the alert was made' })
  created_at: string;
}
