import { ApiProperty } from '@nestjs/swagger';

const STATUSES = ['connected', 'connecting', 'reconnecting', 'disconnected', 'auth_failed'] as const;

/** One stream bot's connection, as `GET /stream/status` lists it. */
export class StreamBotStatusResponse {
  @ApiProperty({ type: 'integer', example: 3 })
  bot_id: number;
  @ApiProperty({ type: 'integer', example: 1 })
  store_id: number;
  @ApiProperty({ type: String, example: '一号店点餐机器人' })
  name: string;
  @ApiProperty({ type: Boolean })
  is_enabled: boolean;
  @ApiProperty({
    enum: STATUSES,
    description: 'disconnected for a disabled bot, or one this instance does not hold',
  })
  connection_status: (typeof STATUSES)[number];
  @ApiProperty({ nullable: true, type: String, example: '2026-12-01T08:00:00.000Z' })
  connected_since: string | null;
  @ApiProperty({ nullable: true, type: String, example: null })
  last_message_time: string | null;
  @ApiProperty({ nullable: true, type: String, example: null })
  last_error: string | null;
  @ApiProperty({ type: 'integer', example: 0 })
  reconnect_count: number;
}

/** `GET /stream/status` (SPEC §5): the Stream connections of the stream bots the caller may see. */
export class StreamStatusResponse {
  @ApiProperty({ type: Boolean, description: 'The connection layer is started (false while shutting down)' })
  running: boolean;
  @ApiProperty({ type: 'integer', example: 2, description: 'Stream bots listed below (enabled or not)' })
  bot_count: number;
  @ApiProperty({ type: 'integer', example: 2 })
  connected_count: number;
  @ApiProperty({ type: [StreamBotStatusResponse] })
  bots: StreamBotStatusResponse[];
}
