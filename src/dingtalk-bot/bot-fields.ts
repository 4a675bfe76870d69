import { AppCredentials } from '../dingtalk/app-credentials';
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
  /** A stream bot's DingTalk app (dingtalk-app): the credentials it connects and sends with. */
  appId: number | null;
  userIds: string[];
  openConversationId: string | null;
  atUserIds: string[];
  /** A stream bot's card template (DingTalk's card platform) for its interactive cards; null: no cards. */
  cardTemplateId: string | null;
  rateLimitPerMinute: number;
  /** A message template for its notifications; null: the built-in message. */
  templateId: number | null;
  /** "HH:MM" in REPORT_TIMEZONE when the bot gets the day's summary; null: no summary. */
  dailySummaryAt: string | null;
}

/** A bot's app as its kind reads it: DingTalk's ids of the app (its robot identity), and the secret when opened. */
export type BotApp = Pick<AppCredentials, 'clientId' | 'agentId'>;

/** A bot's fields with its app's ids: what its kind's robot identity is made of. */
export interface BotWithApp extends BotFields {
  app: BotApp | null;
}

/** A stored bot with its secrets opened, its app's too: what the senders and the Stream connection need. */
export interface BotWithSecrets extends BotFields {
  id: number;
  app: AppCredentials | null;
}

export type BotField = keyof BotFields;
