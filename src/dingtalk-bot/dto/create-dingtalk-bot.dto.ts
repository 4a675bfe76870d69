import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import { StoreScopedCreateDto } from '../../common/http/store-scoped.dto';
import { BodyInteger, INT4_MAX } from '../../common/http/strict-integer';
import { IsOptionalNonNull } from '../../common/validation/is-optional-non-null';
import { BOT_TYPES, BotType, MSG_TYPES, MsgType } from '../entities/dingtalk-bot.entity';

/** A time of day, 00:00 to 23:59. */
export const DAILY_SUMMARY_AT = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

/** DingTalk AgentIds are numbers in the console; accept `836390886` as well as `"836390886"`. */
const digitsToString = ({ value }: { value: unknown }) => (typeof value === 'number' ? String(value) : value);

/**
 * A bot to create. Which fields are required depends on `bot_type`; that, and the webhook's origin,
 * are checked on the whole bot by the service (bot-rules.ts), so that PUT can reuse them on the merged result.
 */
export class CreateDingTalkBotDto extends StoreScopedCreateDto {
  @ApiProperty({ type: String, example: '测试门店通知', minLength: 1, maxLength: 100 })
  @IsOptionalNonNull()
  @IsString()
  @Length(1, 100)
  readonly name: string;

  @ApiPropertyOptional({ enum: BOT_TYPES, default: 'webhook', example: 'webhook' })
  @IsOptionalNonNull()
  @IsIn(BOT_TYPES)
  readonly bot_type?: BotType;

  @ApiPropertyOptional({ enum: MSG_TYPES, default: 'markdown', example: 'markdown' })
  @IsOptionalNonNull()
  @IsIn(MSG_TYPES)
  readonly msg_type?: MsgType;

  @ApiPropertyOptional({ type: Boolean, default: true, example: true })
  @IsOptionalNonNull()
  @IsBoolean()
  readonly is_enabled?: boolean;

  @ApiPropertyOptional({
    type: String,
    maxLength: 1000,
    example: 'https://oapi.dingtalk.com/robot/send?access_token=1a2b3c4d5e6f7a8b9c0d',
    description:
      "webhook bots: the robot's webhook URL, on one of DINGTALK_WEBHOOK_ORIGINS. Write-only: shown masked.",
    nullable: true,
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  readonly webhook?: string | null;

  @ApiPropertyOptional({
    type: String,
    pattern: '^SEC[A-Za-z0-9]{8,200}$',
    example: 'SEC0123456789abcdef0123456789abcdef',
    description: 'webhook bots: the signing secret (加签). Write-only. null removes it.',
    nullable: true,
  })
  @IsOptional()
  @IsString()
  @Matches(/^SEC[A-Za-z0-9]{8,200}$/, {
    message: 'secret must be the signing secret shown by DingTalk, starting with SEC',
  })
  readonly secret?: string | null;

  @ApiPropertyOptional({
    type: [String],
    maxItems: 50,
    example: ['13800000000'],
    description: 'webhook bots: mobiles to @mention',
  })
  @IsOptionalNonNull()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^\+?[0-9-]{5,20}$/, { each: true, message: 'each of at_mobiles must be a phone number' })
  readonly at_mobiles?: string[];

  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    example: false,
    description: 'webhook bots: @mention everyone',
  })
  @IsOptionalNonNull()
  @IsBoolean()
  readonly at_all?: boolean;

  @ApiPropertyOptional({
    type: String,
    pattern: '^[A-Za-z0-9_.-]{1,128}$',
    example: 'dingxxxxxxxxxxxx',
    description: "stream bots: the app's AppKey (ClientID)",
    nullable: true,
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.-]{1,128}$/, {
    message: "client_id must be the app's AppKey (letters, digits, _ . -)",
  })
  readonly client_id?: string | null;

  @ApiPropertyOptional({
    type: String,
    minLength: 1,
    maxLength: 256,
    example: 'sEcReT-0123456789abcdefghijklmnopqrstuvwxyz',
    description: "stream bots: the app's AppSecret (ClientSecret). Write-only.",
    nullable: true,
  })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  readonly client_secret?: string | null;

  @ApiPropertyOptional({
    type: String,
    pattern: '^\\d{1,20}$',
    example: '836390886',
    description: "stream bots: the app's AgentId (digits; a JSON number is accepted too)",
    nullable: true,
  })
  @IsOptional()
  @Transform(digitsToString)
  @IsString()
  @Matches(/^\d{1,20}$/, { message: 'agent_id must be digits' })
  readonly agent_id?: string | null;

  @ApiPropertyOptional({
    type: [String],
    maxItems: 100,
    example: ['manager1234'],
    description: 'stream bots: userids that get a work notification',
  })
  @IsOptionalNonNull()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  readonly user_ids?: string[];

  @ApiPropertyOptional({
    type: String,
    minLength: 1,
    maxLength: 255,
    example: 'cidAbC123==',
    description: 'stream bots: the group the app robot posts to',
    nullable: true,
  })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  readonly open_conversation_id?: string | null;

  @ApiPropertyOptional({
    type: [String],
    maxItems: 50,
    example: ['manager1234'],
    description: 'stream bots: userids to @mention',
  })
  @IsOptionalNonNull()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  readonly at_user_ids?: string[];

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
