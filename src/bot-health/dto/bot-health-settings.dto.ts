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
const QUIET_PERIOD = {
  type: 'integer',
  minimum: 0,
  maximum: 3_600,
  example: 30,
  description:
    'A bot broken (or mended) for less than this many seconds is not alerted: against flapping. 0: at once',
} as const;
const REMINDER = {
  type: 'integer',
  minimum: 1,
  maximum: 168,
  example: 24,
  description: 'While a bot stays unhealthy after its alert, a "still broken" reminder every this many hours',
} as const;

/** `PUT /bot-health/settings`: any subset of the settings. */
export class UpdateBotHealthSettingsDto {
  @ApiPropertyOptional(UNREACHABLE_AFTER)
  @IsOptionalNonNull()
  @BodyInteger({ min: 10, max: 86_400 })
  readonly unreachable_after_seconds?: number;

  @ApiPropertyOptional(QUIET_PERIOD)
  @IsOptionalNonNull()
  @BodyInteger({ min: 0, max: 3_600 })
  readonly alert_quiet_period_seconds?: number;

  @ApiPropertyOptional(REMINDER)
  @IsOptionalNonNull()
  @BodyInteger({ min: 1, max: 168 })
  readonly alert_reminder_hours?: number;
}

/** How bot health is judged and alerted, for every bot of the service (docs/bot-health.md). */
export class BotHealthSettingsResponse {
  @ApiProperty(UNREACHABLE_AFTER)
  unreachable_after_seconds: number;
  @ApiProperty(QUIET_PERIOD)
  alert_quiet_period_seconds: number;
  @ApiProperty(REMINDER)
  alert_reminder_hours: number;
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
