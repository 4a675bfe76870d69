import { ApiProperty } from '@nestjs/swagger';

/** What `POST /dingtalk-bots/:id/test` found (SPEC §5). */
export class BotTestResultResponse {
  @ApiProperty({ example: false })
  ok: boolean;
  @ApiProperty({
    nullable: true,
    oneOf: [{ type: 'integer' }, { type: 'string' }],
    example: 310000,
    description: "DingTalk's errcode (old API) or code (new API); 0 when ok",
  })
  errcode: number | string | null;
  @ApiProperty({ example: 'sign not match' })
  errmsg: string;
  @ApiProperty({
    nullable: true,
    type: String,
    example:
      "The signature does not match: check the bot's secret (加签, starts with SEC) and that this server's clock is right.",
  })
  hint: string | null;
  @ApiProperty({ example: 84 })
  latency_ms: number;
}
