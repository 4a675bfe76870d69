import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { StoreFilterQuery } from '../../common/http/store-scoped.dto';
import { BodyInteger, INT4_MAX } from '../../common/http/strict-integer';
import { IsOptionalNonNull } from '../../common/validation/is-optional-non-null';

/**
 * A webhook secret as Standard Webhooks (Svix) writes it: `whsec_` and base64 of 24 to 64 random bytes. The receiver
 * keeps the same secret to check the `webhook-signature` header.
 */
export const WEBHOOK_SECRET_PATTERN = /^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/;

/** Where the alerts of the whole chain, or of one store, go (docs/bot-health.md, Alerts). */
export class CreateAlertDestinationDto {
  @ApiProperty({ type: String, example: '总部运维群', minLength: 1, maxLength: 100 })
  @IsOptionalNonNull()
  @IsString()
  @Length(1, 100)
  readonly name: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: INT4_MAX,
    nullable: true,
    example: null,
    description:
      "The store whose bots' alerts go here; null (the default): every store's, the chain's destination",
  })
  @IsOptional()
  @BodyInteger()
  readonly store_id?: number | null;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: INT4_MAX,
    nullable: true,
    example: 1,
    description:
      'A bot of this service (e.g. HQ’s group robot) that posts the alerts: they go through the delivery queue as ' +
      'notifications of kind `alert`, with its rate limit, retries and delivery log',
  })
  @IsOptional()
  @BodyInteger()
  readonly dingtalk_bot_id?: number | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: 2000,
    example: 'https://ops.example.com/hooks/dingtalk-bots',
    description:
      'An HTTPS URL that receives each alert as a signed JSON POST (Standard Webhooks, as Svix signs: headers ' +
      'webhook-id, webhook-timestamp, webhook-signature). http:// only to this machine (localhost, 127.0.0.1, [::1])',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  readonly webhook_url?: string | null;

  @ApiPropertyOptional({
    type: String,
    writeOnly: true,
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description:
      'Required with webhook_url: `whsec_` and base64 of 24 to 64 random bytes (`echo whsec_$(openssl rand -base64 32)`). ' +
      'Never returned',
  })
  @IsOptionalNonNull()
  @IsString()
  @Matches(WEBHOOK_SECRET_PATTERN, {
    message: 'webhook_secret must be whsec_ followed by base64 of 24 to 64 bytes',
  })
  readonly webhook_secret?: string;

  @ApiPropertyOptional({ type: Boolean, default: true, example: true })
  @IsOptionalNonNull()
  @IsBoolean()
  readonly is_enabled?: boolean;
}

/** Any subset of a destination's fields; the merged destination is checked as a whole. */
export class UpdateAlertDestinationDto extends PartialType(CreateAlertDestinationDto, {
  skipNullProperties: false,
}) {}

export class ListAlertDestinationsQuery extends StoreFilterQuery {}

export class AlertDestinationResponse {
  @ApiProperty({ type: 'integer', example: 1 })
  id: number;
  @ApiProperty({ type: String, example: '总部运维群' })
  name: string;
  @ApiProperty({
    nullable: true,
    type: 'integer',
    example: null,
    description: "null: the chain's destination",
  })
  store_id: number | null;
  @ApiProperty({
    nullable: true,
    type: 'integer',
    example: 1,
    description: 'null: none, or the bot was deleted',
  })
  dingtalk_bot_id: number | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'https://ops.example.com/hooks/dingtalk-bots',
    description: 'Its query string masked, as it may carry a token',
  })
  webhook_url: string | null;
  @ApiProperty({ type: Boolean, example: false })
  has_webhook_secret: boolean;
  @ApiProperty({ type: Boolean, example: true })
  is_enabled: boolean;
  @ApiProperty({ type: String, example: '2026-11-24T08:00:00.000Z' })
  created_at: string;
  @ApiProperty({ type: String, example: '2026-11-24T08:00:00.000Z' })
  updated_at: string;
}
