import { ApiProperty } from '@nestjs/swagger';

const STATUSES = ['connected', 'connecting', 'reconnecting', 'disconnected', 'auth_failed'] as const;

/** A stream bot under its app in `GET /stream/status`: the store whose messages it sends and receives. */
export class StreamAppBotResponse {
  @ApiProperty({ type: 'integer', example: 3 })
  bot_id: number;
  @ApiProperty({ type: 'integer', example: 1 })
  store_id: number;
  @ApiProperty({ type: String, example: '一号店报菜机器人' })
  name: string;
  @ApiProperty({ type: Boolean })
  is_enabled: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'cidStore1Kitchen==',
    description: "The store's group: messages written there are this bot's",
  })
  open_conversation_id: string | null;
}

/** One DingTalk app's Stream connection, as `GET /stream/status` lists it, whichever instance holds it. */
export class StreamAppStatusResponse {
  @ApiProperty({ type: 'integer', example: 1 })
  app_id: number;
  @ApiProperty({ type: String, example: '连锁门店报菜应用' })
  name: string;
  @ApiProperty({ type: String, example: 'dingxxxxxxxxxxxx' })
  client_id: string;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'notify-2-4f1a9c',
    description:
      'The instance that holds the connection; null when none does (no enabled bot, or its instance died)',
  })
  instance_id: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '2026-12-01T07:59:58.000Z',
    description: 'When that instance took the app',
  })
  held_since: string | null;
  @ApiProperty({
    enum: STATUSES,
    description: 'disconnected for an app without an enabled bot, or one that no live instance holds',
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
  @ApiProperty({
    type: [StreamAppBotResponse],
    description: "The app's stream bots the caller may see (a store admin: its stores' only), by id",
  })
  bots: StreamAppBotResponse[];
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
    example: 1,
    description: 'Apps listed below whose connection this instance holds',
  })
  app_count: number;
}

/** `GET /stream/status`: the Stream connections of the apps whose bots the caller may see, cluster-wide. */
export class StreamStatusResponse {
  @ApiProperty({
    type: Boolean,
    description: "The answering instance's connection layer is started (false while shutting down)",
  })
  running: boolean;
  @ApiProperty({ type: String, example: 'notify-2-4f1a9c', description: 'The instance that answered' })
  instance_id: string;
  @ApiProperty({ type: 'integer', example: 1, description: 'Apps listed below: one connection each at most' })
  app_count: number;
  @ApiProperty({ type: 'integer', example: 1, description: 'Of those, connected on some instance' })
  connected_count: number;
  @ApiProperty({
    type: 'integer',
    example: 3,
    description: 'Stream bots listed under the apps (enabled or not)',
  })
  bot_count: number;
  @ApiProperty({
    type: [ServiceInstanceResponse],
    description: 'Instances with a heartbeat in the last 30 s, oldest first',
  })
  instances: ServiceInstanceResponse[];
  @ApiProperty({ type: [StreamAppStatusResponse] })
  apps: StreamAppStatusResponse[];
}
