import { BotType, MsgType } from './entities/dingtalk-bot.entity';

/** A bot's settings in plain form (secrets opened): what rules check, senders use and events describe. */
export interface BotFields {
  name: string;
  storeId: number;
  botType: BotType;
  msgType: MsgType;
  isEnabled: boolean;
  webhook: string | null;
  secret: string | null;
  atMobiles: string[];
  atAll: boolean;
  clientId: string | null;
  clientSecret: string | null;
  agentId: string | null;
  userIds: string[];
  openConversationId: string | null;
  atUserIds: string[];
  rateLimitPerMinute: number;
  /** A message template for its notifications; null: the built-in message. */
  templateId: number | null;
  /** "HH:MM" in REPORT_TIMEZONE when the bot gets the day's summary; null: no summary. */
  dailySummaryAt: string | null;
}

/** A stored bot with its secrets opened: what the senders and the Stream connection need. */
export interface BotWithSecrets extends BotFields {
  id: number;
}

export type BotField = keyof BotFields;
