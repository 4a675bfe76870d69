import { ApiProperty } from '@nestjs/swagger';

/**
 * What DingTalk answered, as the API shows it: its numeric errcode as a number, the text code of its newer APIs
 * apart (see splitErrcode).
 */
export class DingTalkAnswerCodes {
  @ApiProperty({
    nullable: true,
    type: 'integer',
    example: 0,
    description:
      "DingTalk's numeric errcode (0: accepted); null when it answered with a text code or not at all",
  })
  errcode: number | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: null,
    description: "The text code of DingTalk's newer APIs (e.g. invalidClientIdOrSecret), if any",
  })
  error_code: string | null;
}

/** What `POST /dingtalk-bots/:id/test` found. */
export class BotTestResultResponse extends DingTalkAnswerCodes {
  @ApiProperty({ type: Boolean, example: false })
  ok: boolean;
  @ApiProperty({ type: String, example: 'sign not match' })
  errmsg: string;
  @ApiProperty({
    nullable: true,
    type: String,
    example:
      "The signature does not match: check the bot's secret (加签, starts with SEC) and that this server's clock is right.",
  })
  hint: string | null;
  @ApiProperty({ type: 'integer', example: 84 })
  latency_ms: number;
}
