import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsOptionalNonNull } from '../../../common/validation/is-optional-non-null';

/** DingTalk AgentIds are numbers in the console; accept `836390886` as well as `"836390886"`. */
const digitsToString = ({ value }: { value: unknown }) => (typeof value === 'number' ? String(value) : value);

/** A stream bot's settings in a bot's request (the kind's rules on the whole bot: stream.kind.ts). */
export class StreamSettingsDto {
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
}
