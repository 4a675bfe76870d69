import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { StoreScopedCreateDto } from '../../common/http/store-scoped.dto';
import { BodyInteger, INT4_MAX } from '../../common/http/strict-integer';
import { IsOptionalNonNull } from '../../common/validation/is-optional-non-null';
import { BOT_TYPES } from '../bot-kinds';
import { BotType, MSG_TYPES, MsgType } from '../entities/dingtalk-bot.entity';
import { StreamSettingsDto } from '../kinds/stream/stream-settings.dto';
import { WebhookSettingsDto } from '../kinds/webhook/webhook-settings.dto';
import { IsBotType } from './is-bot-type';

/** A time of day, 00:00 to 23:59. */
export const DAILY_SUMMARY_AT = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

/** What every bot has first: its store, name, kind and message type (the order the API documents them in). */
class BotBasicsDto extends StoreScopedCreateDto {
  @ApiProperty({ type: String, example: '测试门店通知', minLength: 1, maxLength: 100 })
  @IsOptionalNonNull()
  @IsString()
  @Length(1, 100)
  readonly name: string;

  @ApiPropertyOptional({ enum: BOT_TYPES, default: 'webhook', example: 'webhook' })
  @IsOptionalNonNull()
  @IsBotType()
  readonly bot_type?: BotType;

  @ApiPropertyOptional({ enum: MSG_TYPES, default: 'markdown', example: 'markdown' })
  @IsOptionalNonNull()
  @IsIn(MSG_TYPES)
  readonly msg_type?: MsgType;

  @ApiPropertyOptional({ type: Boolean, default: true, example: true })
  @IsOptionalNonNull()
  @IsBoolean()
  readonly is_enabled?: boolean;
}

/**
 * A bot to create: its basics, each kind's settings (in the kind's folder), and what every bot has after them. Which
 * settings are required depends on `bot_type`; that, and the webhook's origin, are checked on the whole bot by the
 * service (bot-rules.ts, with the kind's own rules), so that PUT can reuse them on the merged result.
 */
export class CreateDingTalkBotDto extends IntersectionType(
  BotBasicsDto,
  WebhookSettingsDto,
  StreamSettingsDto,
) {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 20,
    default: 20,
    example: 20,
    description: 'At most this many messages a minute (DingTalk allows 20)',
  })
  @IsOptionalNonNull()
  @BodyInteger({ max: 20 })
  readonly rate_limit_per_minute?: number;

  @ApiPropertyOptional({
    example: null,
    nullable: true,
    type: 'integer',
    minimum: 1,
    maximum: INT4_MAX,
    description: 'A message template of this store or a shared one; null: the built-in message',
  })
  @IsOptional()
  @BodyInteger()
  readonly template_id?: number | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    pattern: DAILY_SUMMARY_AT.source,
    example: '21:30',
    description:
      "When the bot gets the day's summary of its store's reports, as HH:MM (00:00–23:59) in REPORT_TIMEZONE; " +
      'null: no summary. A time set after today’s moment has passed takes effect tomorrow.',
  })
  @IsOptional()
  @IsString()
  @Matches(DAILY_SUMMARY_AT, {
    message: 'daily_summary_at must be a time of day as HH:MM, from 00:00 to 23:59 (e.g. 21:30)',
  })
  readonly daily_summary_at?: string | null;
}
