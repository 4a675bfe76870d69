import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsOptionalNonNull } from '../../../common/validation/is-optional-non-null';

/** A webhook bot's settings in a bot's request (the kind's rules on the whole bot: webhook.kind.ts). */
export class WebhookSettingsDto {
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
}
