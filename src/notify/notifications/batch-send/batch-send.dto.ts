import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsString, Length, Matches } from 'class-validator';
import { BodyInteger, INT4_MAX } from '../../../common/http/strict-integer';
import { IsOptionalNonNull } from '../../../common/validation/is-optional-non-null';
import { MSG_TYPES, MsgType } from '../../../dingtalk-bot/entities/dingtalk-bot.entity';

/** `POST /dingtalk-bots/batch-send` — one message to some bots, or to every enabled bot of a store. */
export class BatchSendDto {
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'integer', minimum: 1, maximum: INT4_MAX },
    minItems: 1,
    maxItems: 100,
    example: [1, 2],
    description: 'The bots to send to; or give store_id instead',
  })
  @IsOptionalNonNull()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @BodyInteger({ each: true })
  readonly bot_ids?: number[];

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: INT4_MAX,
    example: 1,
    description: 'Every enabled bot of this store; or give bot_ids instead',
  })
  @IsOptionalNonNull()
  @BodyInteger()
  readonly store_id?: number;

  @ApiPropertyOptional({ enum: MSG_TYPES, default: 'markdown', example: 'markdown' })
  @IsOptionalNonNull()
  @IsIn(MSG_TYPES)
  readonly msg_type?: MsgType;

  @ApiPropertyOptional({
    type: String,
    minLength: 1,
    maxLength: 200,
    example: '今日盘点提醒',
    description: 'Required for markdown (the chat list shows it)',
  })
  @IsOptionalNonNull()
  @IsString()
  @Length(1, 200)
  readonly title?: string;

  @ApiProperty({
    type: String,
    minLength: 1,
    maxLength: 100_000,
    example: '#### 今日盘点提醒\n请各门店 21:00 前完成盘点。',
    description: 'Over 20,000 bytes, it is sent in numbered parts',
  })
  @IsString()
  @Length(1, 100_000)
  readonly content: string;

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
    type: [String],
    maxItems: 50,
    example: ['manager1234'],
    description: 'stream bots: user ids to @mention',
  })
  @IsOptionalNonNull()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  readonly at_user_ids?: string[];
}

export class BatchSendItem {
  @ApiProperty({ type: 'integer', example: 1 })
  bot_id: number;
  @ApiProperty({
    example: ['41'],
    type: [String],
    description:
      'The notification, or its numbered parts when over 20,000 bytes; empty when nothing was queued',
  })
  notification_ids: string[];
  @ApiProperty({ example: 'pending', enum: ['pending', 'skipped'] })
  status: 'pending' | 'skipped';
  @ApiProperty({ example: null, nullable: true, type: String })
  reason: string | null;
}

export class BatchSendResponse {
  @ApiProperty({ type: 'integer', example: 2, description: 'Notifications queued for delivery' })
  queued: number;
  @ApiProperty({ type: [BatchSendItem] })
  items: BatchSendItem[];
}
