import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { BodyInteger } from '../../common/http/strict-integer';
import { IsOptionalNonNull } from '../../common/validation/is-optional-non-null';

/** The longest a deadline may be: a day (a report not confirmed by then is history, not a kitchen's task). */
export const MAX_DEADLINE_MINUTES = 1440;

export class ConfirmationButtonDto {
  @ApiProperty({
    type: String,
    example: 'received',
    pattern: '^[a-z][a-z0-9_]{0,31}$',
    description:
      "The button's action id: a card template's actionId (`received`, `ready` in the repo's template)",
  })
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{0,31}$/, {
    message: 'action must be 1 to 32 lower-case letters, digits or _, starting with a letter',
  })
  readonly action: string;

  @ApiProperty({ type: String, example: '收到', minLength: 1, maxLength: 20 })
  @IsString()
  @Length(1, 20)
  @Matches(/\S/, { message: 'label must not be blank' })
  readonly label: string;
}

/**
 * A store's kitchen confirmation (docs/confirmation.md); every field optional, the others kept as they are.
 */
export class UpdateConfirmationSettingsDto {
  @ApiPropertyOptional({
    type: Boolean,
    example: true,
    description: "The store's reports ask the kitchen to confirm",
  })
  @IsOptionalNonNull()
  @IsBoolean()
  readonly enabled?: boolean;

  @ApiPropertyOptional({
    type: [ConfirmationButtonDto],
    minItems: 1,
    maxItems: 5,
    description:
      'The buttons, in the order a kitchen goes through them: the first press of any confirms, a later one further ' +
      'along moves the action forward (收到, then 已备好). Default: received/收到, ready/已备好',
  })
  @IsOptionalNonNull()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @ValidateNested({ each: true })
  @Type(() => ConfirmationButtonDto)
  readonly buttons?: ConfirmationButtonDto[];

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_DEADLINE_MINUTES,
    nullable: true,
    example: 10,
    description:
      'Minutes after the report: still unconfirmed, it is reminded in the same group. Null: no reminder',
  })
  @IsOptional()
  @BodyInteger({ min: 1, max: MAX_DEADLINE_MINUTES })
  readonly reminder_after_minutes?: number | null;

  @ApiPropertyOptional({
    type: [String],
    maxItems: 20,
    example: ['chef01'],
    description: 'DingTalk userids the reminder @mentions',
  })
  @IsOptionalNonNull()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  readonly reminder_at_user_ids?: string[];

  @ApiPropertyOptional({
    type: [String],
    maxItems: 20,
    example: ['13800000000'],
    description: 'Mobiles the reminder @mentions (a custom robot mentions by mobile)',
  })
  @IsOptionalNonNull()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Matches(/^\+?[0-9-]{5,20}$/, { each: true, message: 'each of reminder_at_mobiles must be a phone number' })
  readonly reminder_at_mobiles?: string[];

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_DEADLINE_MINUTES,
    nullable: true,
    example: 20,
    description:
      'Minutes after the report: still unconfirmed, it is escalated to escalation_bot_id (after the reminder, when ' +
      'both are set). Null: no escalation',
  })
  @IsOptional()
  @BodyInteger({ min: 1, max: MAX_DEADLINE_MINUTES })
  readonly escalation_after_minutes?: number | null;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    nullable: true,
    example: 7,
    description:
      "The bot that receives escalations: any bot of this service (a manager's, HQ's group); a store admin names " +
      'one of the stores it manages',
  })
  @IsOptional()
  @BodyInteger()
  readonly escalation_bot_id?: number | null;
}

export class ConfirmationSettingsResponse {
  @ApiProperty({ type: 'integer', example: 1 })
  store_id: number;

  @ApiProperty({ type: Boolean, example: true })
  enabled: boolean;

  @ApiProperty({ type: [ConfirmationButtonDto] })
  buttons: ConfirmationButtonDto[];

  @ApiProperty({ type: 'integer', nullable: true, example: 10 })
  reminder_after_minutes: number | null;

  @ApiProperty({ type: [String], example: ['chef01'] })
  reminder_at_user_ids: string[];

  @ApiProperty({ type: [String], example: ['13800000000'] })
  reminder_at_mobiles: string[];

  @ApiProperty({ type: 'integer', nullable: true, example: 20 })
  escalation_after_minutes: number | null;

  @ApiProperty({ type: 'integer', nullable: true, example: 7 })
  escalation_bot_id: number | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description:
      "Why webhook bots' reports carry no buttons even when enabled (PUBLIC_URL is not set); null when they do",
  })
  webhook_buttons_unavailable: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Null: never set (the defaults)',
  })
  updated_at: string | null;
}
