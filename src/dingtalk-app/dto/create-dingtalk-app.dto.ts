import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { IsAgentId, IsClientId, IsClientSecret } from './app-credential-fields';

/** A DingTalk app to add (admin): what its 凭证与基础信息 page in DingTalk's developer console shows. */
export class CreateDingTalkAppDto {
  @ApiProperty({ type: String, example: '连锁门店报菜应用', minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  readonly name: string;

  @ApiProperty({
    type: String,
    pattern: '^[A-Za-z0-9_.-]{1,128}$',
    example: 'dingxxxxxxxxxxxx',
    description: "The app's AppKey (ClientID); one app per client_id",
  })
  @IsClientId()
  readonly client_id: string;

  @ApiProperty({
    type: String,
    minLength: 1,
    maxLength: 256,
    example: 'sEcReT-0123456789abcdefghijklmnopqrstuvwxyz',
    description: "The app's AppSecret (ClientSecret). Write-only: sealed at rest, never shown.",
  })
  @IsClientSecret()
  readonly client_secret: string;

  @ApiProperty({
    type: String,
    pattern: '^\\d{1,20}$',
    example: '836390886',
    description: "The app's AgentId (digits; a JSON number is accepted too): work notifications need it",
  })
  @IsAgentId()
  readonly agent_id: string;
}
