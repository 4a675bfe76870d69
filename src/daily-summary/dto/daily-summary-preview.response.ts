import { ApiProperty } from '@nestjs/swagger';
import { MSG_TYPES, MsgType } from '../../dingtalk-bot/entities/dingtalk-bot.entity';

/** The daily summary a bot would get for a day. */
export class DailySummaryPreviewResponse {
  @ApiProperty({ type: 'integer', example: 1 })
  bot_id: number;
  @ApiProperty({ type: String, example: '2026-11-24', description: 'The day, in REPORT_TIMEZONE' })
  date: string;
  @ApiProperty({ enum: MSG_TYPES, example: 'markdown' })
  msg_type: MsgType;
  @ApiProperty({ type: String, example: '报菜日报：门店 1 2026-11-24' })
  title: string;
  @ApiProperty({
    type: String,
    example:
      '#### 报菜日报 · 门店 1 · 2026-11-24\n- 宫保鸡丁 120 份\n\n> 共 8 条报菜，3 位报菜人；首条 10:02，末条 20:41',
  })
  text: string;
  @ApiProperty({
    type: 'integer',
    example: 152,
    description: 'UTF-8 size of the text; DingTalk refuses messages over 20,000 bytes',
  })
  byte_size: number;
  @ApiProperty({
    type: 'integer',
    example: 1,
    description: 'How many messages it goes out as: more than 1 when it is split into numbered parts',
  })
  parts: number;
}
