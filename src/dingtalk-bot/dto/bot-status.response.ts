import { ApiProperty } from '@nestjs/swagger';
import { BotHealth, BotHealthReason } from '../../events/bot-health.events';
import { BOT_TYPES } from '../bot-kinds';
import { HEALTH_PROPERTIES } from './bot-health.fields';
import { BotType } from '../entities/dingtalk-bot.entity';

export const CONNECTION_STATUSES = [
  'connected',
  'connecting',
  'reconnecting',
  'disconnected',
  'auth_failed',
  'not_applicable',
] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

/** `GET /dingtalk-bots/:id/status`: the Stream connection and the delivery state of one bot. */
export class BotStatusResponse {
  @ApiProperty({ type: 'integer', example: 1 })
  bot_id: number;
  @ApiProperty({ enum: BOT_TYPES })
  bot_type: BotType;
  @ApiProperty({ type: Boolean })
  is_enabled: boolean;
  @ApiProperty({ enum: CONNECTION_STATUSES, description: 'not_applicable for webhook bots' })
  connection_status: ConnectionStatus;
  @ApiProperty({
    nullable: true,
    type: String,
    example: null,
    description:
      'Stream bots: the service instance that holds the connection, whichever instance answers; null when none does',
  })
  instance_id: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: null,
    description: 'Since when connection_status has its current value (null when no instance holds the bot)',
  })
  status_since: string | null;
  @ApiProperty({ nullable: true, type: String, example: null })
  connected_since: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: null,
    description: 'When DingTalk last delivered a message to the bot',
  })
  last_message_time: string | null;
  @ApiProperty({ nullable: true, type: String, example: null })
  last_error: string | null;
  @ApiProperty({ type: 'integer', example: 0 })
  reconnect_count: number;
  @ApiProperty({ nullable: true, type: String, example: null })
  last_delivery_at: string | null;
  @ApiProperty({ nullable: true, type: String, example: null })
  last_delivery_status: string | null;
  @ApiProperty({ type: 'integer', example: 0 })
  pending_notifications: number;
  @ApiProperty({
    nullable: true,
    type: String,
    example: null,
    description:
      "Until when nothing is sent through this bot: a throttle of its DingTalk robot (shared by every bot with the same webhook), or of its app (the organisation's monthly API quota)",
  })
  rate_limited_until: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: null,
    description: 'While such a pause lasts: why, in plain words, and what can be done about it',
  })
  pause_hint: string | null;
  @ApiProperty(HEALTH_PROPERTIES.health)
  health: BotHealth;
  @ApiProperty(HEALTH_PROPERTIES.health_reason)
  health_reason: BotHealthReason | null;
  @ApiProperty(HEALTH_PROPERTIES.health_detail)
  health_detail: string | null;
  @ApiProperty(HEALTH_PROPERTIES.health_hint)
  health_hint: string | null;
  @ApiProperty(HEALTH_PROPERTIES.health_since)
  health_since: string | null;
}
