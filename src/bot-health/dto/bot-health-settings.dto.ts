import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptionalNonNull } from '../../common/validation/is-optional-non-null';
import { BodyInteger } from '../../common/http/strict-integer';

const UNREACHABLE_AFTER = {
  type: 'integer',
  minimum: 10,
  maximum: 86_400,
  example: 300,
  description:
    'A stream bot whose Stream connection has been reconnecting this many seconds is broken (`cannot_connect`)',
} as const;

/** `PUT /bot-health/settings`: any subset of the settings. */
export class UpdateBotHealthSettingsDto {
  @ApiPropertyOptional(UNREACHABLE_AFTER)
  @IsOptionalNonNull()
  @BodyInteger({ min: 10, max: 86_400 })
  readonly unreachable_after_seconds?: number;
}

/** How bot health is judged, for every bot of the service (docs/bot-health.md). */
export class BotHealthSettingsResponse {
  @ApiProperty(UNREACHABLE_AFTER)
  unreachable_after_seconds: number;
  @ApiProperty({ type: String, example: '2026-11-24T08:00:00.000Z' })
  updated_at: string;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'ops-lead',
    description: 'Who changed the settings last (the token’s sub); null: never changed',
  })
  updated_by: string | null;
}
