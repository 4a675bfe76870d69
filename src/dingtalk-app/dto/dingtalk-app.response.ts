import { ApiProperty } from '@nestjs/swagger';

/** An app as the API shows it: never its secret, only whether one is set. */
export class DingTalkAppResponse {
  @ApiProperty({ type: 'integer', example: 1 })
  id: number;
  @ApiProperty({ type: String, example: '连锁门店报菜应用' })
  name: string;
  @ApiProperty({ type: String, example: 'dingxxxxxxxxxxxx' })
  client_id: string;
  @ApiProperty({ nullable: true, type: String, example: '836390886' })
  agent_id: string | null;
  @ApiProperty({ type: Boolean, example: true })
  has_client_secret: boolean;
  @ApiProperty({ type: String, example: '2026-12-01T08:00:00.000Z' })
  created_at: string;
  @ApiProperty({ type: String, example: '2026-12-01T08:00:00.000Z' })
  updated_at: string;
}
