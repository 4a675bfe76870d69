import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Length, Matches } from 'class-validator';
import { BodyInteger, INT4_MAX } from '../../../common/http/strict-integer';
import { IsOptionalNonNull } from '../../../common/validation/is-optional-non-null';
import { IsAgentId, IsClientId, IsClientSecret } from '../../../dingtalk-app/dto/app-credential-fields';

/** A stream bot's settings in a bot's request (the kind's rules on the whole bot: stream.kind.ts). */
export class StreamSettingsDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: INT4_MAX,
    example: 1,
    nullable: true,
    description:
      'stream bots: the DingTalk app it belongs to (GET /api/v1/dingtalk-apps); or name the app by client_id and client_secret',
  })
  @IsOptional()
  @BodyInteger()
  readonly app_id?: number | null;

  @ApiPropertyOptional({
    type: String,
    pattern: '^[A-Za-z0-9_.-]{1,128}$',
    example: 'dingxxxxxxxxxxxx',
    description:
      "stream bots, instead of app_id: the app's AppKey (ClientID). With client_secret it finds the app (the secret must be its own) or adds it.",
    nullable: true,
  })
  @IsOptional()
  @IsClientId()
  readonly client_id?: string | null;

  @ApiPropertyOptional({
    type: String,
    minLength: 1,
    maxLength: 256,
    example: 'sEcReT-0123456789abcdefghijklmnopqrstuvwxyz',
    description:
      "stream bots, with client_id: the app's AppSecret (ClientSecret). Write-only; it must be the app's own (an admin changes an app's secret on the app).",
    nullable: true,
  })
  @IsOptional()
  @IsClientSecret()
  readonly client_secret?: string | null;

  @ApiPropertyOptional({
    type: String,
    pattern: '^\\d{1,20}$',
    example: '836390886',
    description:
      "stream bots, with client_id: the app's AgentId (digits; a JSON number is accepted too), required when the app is new",
    nullable: true,
  })
  @IsOptional()
  @IsAgentId()
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
    description:
      "stream bots: the store's group the app robot posts to; messages written in that group are this bot's store's",
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
    type: String,
    pattern: '^[A-Za-z0-9_.-]{1,128}$',
    example: 'c3a7e6f0-1b2d-4e5f-8a9b-0c1d2e3f4a5b.schema',
    description:
      'stream bots: the id of the card platform template its interactive cards (kitchen confirmation) are made from, as DingTalk shows it after publishing (docs/dingtalk/cards/README.md); the card goes to open_conversation_id. null: no cards',
    nullable: true,
  })
  @IsOptional()
  @IsString()
  // DingTalk's ids are a UUID with `.schema`; the simulator's are names. Letters, digits and . _ - cover both.
  @Matches(/^[A-Za-z0-9_.-]{1,128}$/, {
    message:
      'card_template_id is the template id the card platform shows (letters, digits, . _ -; at most 128)',
  })
  readonly card_template_id?: string | null;
}
