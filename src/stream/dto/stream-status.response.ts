import { ApiProperty } from '@nestjs/swagger';

const STATUSES = ['connected', 'connecting', 'reconnecting', 'disconnected', 'auth_failed'] as const;

/** One stream bot's connection, as `GET /stream/status` lists it, whichever instance holds it. */
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
    nullable: true,
    type: String,
    example: 'notify-2-4f1a9c',
    description:
      'The instance that holds the connection; null when none does (disabled, or its instance died)',
  })
  instance_id: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '2026-12-01T07:59:58.000Z',
    description: 'When that instance took the bot',
  })
  held_since: string | null;
  @ApiProperty({
    enum: STATUSES,
    description: 'disconnected for a disabled bot, or one that no live instance holds',
  })
  connection_status: (typeof STATUSES)[number];
  @ApiProperty({
    nullable: true,
    type: String,
    example: '2026-12-01T08:00:00.000Z',
    description: 'Since when connection_status has its current value',
  })
  status_since: string | null;
  @ApiProperty({ nullable: true, type: String, example: '2026-12-01T08:00:00.000Z' })
  connected_since: string | null;
  @ApiProperty({ nullable: true, type: String, example: null })
  last_message_time: string | null;
  @ApiProperty({ nullable: true, type: String, example: null })
  last_error: string | null;
  @ApiProperty({ type: 'integer', example: 0 })
  reconnect_count: number;
}

/** A live service instance, as `GET /stream/status` lists it. */
export class ServiceInstanceResponse {
  @ApiProperty({ type: String, example: 'notify-2-4f1a9c' })
  instance_id: string;
  @ApiProperty({ type: String, example: '2026-12-01T07:59:50.000Z' })
  started_at: string;
  @ApiProperty({ type: String, example: '2026-12-01T08:10:00.000Z' })
  last_heartbeat_at: string;
  @ApiProperty({
    type: 'integer',
    example: 2,
    description: 'Stream bots listed below that this instance holds',
  })
  bot_count: number;
}

/** `GET /stream/status`: the Stream connections of the stream bots the caller may see, cluster-wide. */
export class StreamStatusResponse {
  @ApiProperty({
    type: Boolean,
    description: "The answering instance's connection layer is started (false while shutting down)",
  })
  running: boolean;
  @ApiProperty({ type: String, example: 'notify-2-4f1a9c', description: 'The instance that answered' })
  instance_id: string;
  @ApiProperty({ type: 'integer', example: 2, description: 'Stream bots listed below (enabled or not)' })
  bot_count: number;
  @ApiProperty({ type: 'integer', example: 2, description: 'Of those, connected on any instance' })
  connected_count: number;
  @ApiProperty({
    type: [ServiceInstanceResponse],
    description: 'Instances with a heartbeat in the last 30 s, oldest first',
  })
  instances: ServiceInstanceResponse[];
  @ApiProperty({ type: [StreamBotStatusResponse] })
  bots: StreamBotStatusResponse[];
}
