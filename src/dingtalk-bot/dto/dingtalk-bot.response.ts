import { ApiProperty } from '@nestjs/swagger';
import { BotHealth, BotHealthReason } from '../../events/bot-health.events';
import { BOT_TYPES } from '../bot-kinds';
import { HEALTH_PROPERTIES } from './bot-health.fields';
import { BotType, MSG_TYPES, MsgType } from '../entities/dingtalk-bot.entity';

/**
 * A bot as the API returns it. Secrets are write-only: only `has_secret` / `has_client_secret` (its app's) say
 * whether one is set, and the webhook's access_token is masked.
 */
export class DingTalkBotResponse {
  @ApiProperty({ type: 'integer', example: 1 })
  id: number;
  @ApiProperty({ type: String, example: '测试门店通知' })
  name: string;
  @ApiProperty({ type: 'integer', example: 1 })
  store_id: number;
  @ApiProperty({ enum: BOT_TYPES, example: 'webhook' })
  bot_type: BotType;
  @ApiProperty({ enum: MSG_TYPES, example: 'markdown' })
  msg_type: MsgType;
  @ApiProperty({ type: Boolean, example: true })
  is_enabled: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'https://oapi.dingtalk.com/robot/send?access_token=1a2b****9z8y',
  })
  webhook: string | null;
  @ApiProperty({ type: Boolean, example: true })
  has_secret: boolean;
  @ApiProperty({ type: [String], example: [] })
  at_mobiles: string[];
  @ApiProperty({ type: Boolean, example: false })
  at_all: boolean;
  @ApiProperty({
    nullable: true,
    type: 'integer',
    example: null,
    description: "A stream bot's DingTalk app (GET /api/v1/dingtalk-apps/:id)",
  })
  app_id: number | null;
  @ApiProperty({ nullable: true, type: String, example: null, description: "The app's AppKey" })
  client_id: string | null;
  @ApiProperty({ nullable: true, type: String, example: null, description: "The app's AgentId" })
  agent_id: string | null;
  @ApiProperty({
    type: Boolean,
    example: false,
    description: "Whether the bot's app has a secret (always, for a stream bot with an app); never shown",
  })
  has_client_secret: boolean;
  @ApiProperty({ type: [String], example: [] })
  user_ids: string[];
  @ApiProperty({ nullable: true, type: String, example: null })
  open_conversation_id: string | null;
  @ApiProperty({ type: [String], example: [] })
  at_user_ids: string[];
  @ApiProperty({
    nullable: true,
    type: String,
    example: null,
    description:
      'stream bots: the card platform template its interactive cards are made from; null: no cards',
  })
  card_template_id: string | null;
  @ApiProperty({ type: 'integer', example: 20 })
  rate_limit_per_minute: number;
  @ApiProperty({ nullable: true, type: 'integer', example: null })
  template_id: number | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '21:30',
    description: "HH:MM in REPORT_TIMEZONE when the bot gets the day's summary; null: none",
  })
  daily_summary_at: string | null;
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
  @ApiProperty({ type: String, example: '2026-11-24T08:00:00.000Z' })
  created_at: string;
  @ApiProperty({ type: String, example: '2026-11-24T08:00:00.000Z' })
  updated_at: string;
}

/** The answer to a bot created or changed: the bot, and what the caller should know about the change. */
export class SavedDingTalkBotResponse extends DingTalkBotResponse {
  @ApiProperty({
    type: [String],
    example: [
      "Bot 3 (store 1) on app 1 has no open_conversation_id: it took every group's messages only while it was the " +
        "only enabled bot of an app that had served one store. With this bot on the app it takes no group's " +
        'messages (a group gets a "not linked" answer that names its open_conversation_id), nor one-to-one messages ' +
        'of senders not bound to a store. Set its open_conversation_id to its group: PUT /api/v1/dingtalk-bots/3.',
    ],
    description:
      'Sentences about the change that are not errors: empty when all is well. An enabled stream bot on an app ' +
      'that has another enabled bot without open_conversation_id names that bot (so does any bot whose change makes ' +
      'the app serve a second store), and one that has none itself beside another enabled bot, or on an app that ' +
      "has served another store, says so of itself: an app's only bot without a group takes every group's messages " +
      '(an upgraded single-store app), and none once a second bot is enabled on the app or a bot of another store ' +
      'has been on it (docs/dingtalk-apps.md).',
  })
  warnings: string[];
}
