import { Type } from '@nestjs/common';
import { FieldError } from '../common/http/api-envelope';
import { AppCredentials } from '../dingtalk/app-credentials';
import { MessageChannel } from '../dingtalk/message-bodies';
import { RobotIdentity } from '../dingtalk/robot-identity';
import { BotFields, BotWithApp, BotWithSecrets } from './bot-fields';
import { BotSender } from './bot-sender';

/**
 * The settings of a bot that only some kinds use, by their request names. A kind lists its own (BotKind.settings);
 * the others' are refused on its bots and cleared when a bot changes kind. They are columns of ding_talk_bots (but
 * client_id, client_secret and agent_id: a stream bot's inline way of naming its app, see INLINE_APP_SETTINGS): a
 * kind that needs a setting none of these is adds a column, a field to its settings DTO and a name here.
 */
export const KIND_SETTINGS = [
  'webhook',
  'secret',
  'at_mobiles',
  'at_all',
  'app_id',
  'client_id',
  'client_secret',
  'agent_id',
  'user_ids',
  'open_conversation_id',
  'at_user_ids',
  'card_template_id',
] as const;
export type KindSetting = (typeof KIND_SETTINGS)[number];

/** Whom a message mentions (@), as the notification rows keep it. */
export interface Mentions {
  atMobiles: string[];
  atAll: boolean;
  atUserIds: string[];
}

/** Where a bot's messages go, as far as their sizes and their skipping are concerned. */
export type BotTargets = Pick<BotFields, 'userIds' | 'openConversationId'>;

/**
 * The settings that name a stream bot's app by its credentials instead of its `app_id` (as before apps were a
 * resource): not the bot's columns, the service finds or adds the app they name (dingtalk-app's findOrAdd).
 */
export const INLINE_APP_SETTINGS = [
  'client_id',
  'client_secret',
  'agent_id',
] as const satisfies readonly KindSetting[];
export type InlineAppSetting = (typeof INLINE_APP_SETTINGS)[number];

/** What a kind's rules may read besides the bot: the configuration, and what the request itself set. */
export interface KindRuleContext {
  /** DINGTALK_WEBHOOK_ORIGINS. */
  webhookOrigins: readonly string[];
  /**
   * The kind settings the request sets (to something else than null), with their values: the inline ones
   * (INLINE_APP_SETTINGS) are the request's only, the bot's columns hold none of them.
   */
  requested: Partial<Record<KindSetting, unknown>>;
}

/**
 * One kind of bot (`bot_type`): everything the service knows that differs between a custom group robot (webhook) and
 * an enterprise app robot (stream). One folder each under kinds/, registered in bot-kinds.ts; nothing outside
 * those folders asks which kind a bot is, it asks the bot's kind (botKind(bot.botType)).
 */
export interface BotKind {
  /** Its `bot_type`. */
  readonly type: string;
  /** The settings only this kind's bots use (another kind's bot refuses them). */
  readonly settings: readonly KindSetting[];
  /** What is missing or wrong in a bot of this kind, checked on the whole bot (for PUT: the bot as it will be). */
  problems(bot: BotFields, context: KindRuleContext): FieldError[];
  /** The DingTalk channels a message to the bot goes through (their size limits apply); none: nowhere to send. */
  channels(bot: BotTargets): MessageChannel[];
  /** Of the mentions asked for (the bot's own, or a batch send's), those this kind's robots can make. */
  mentions(asked: Mentions): Mentions;
  /** The robot (and app) whose limits the bot's sends count against. */
  robot(bot: BotWithApp): RobotIdentity;
  /**
   * Present when the kind keeps a DingTalk Stream connection (its app's: one per app, shared by the app's bots) and
   * so receives messages: the app it connects as, null while the bot's settings lack it.
   */
  readonly connection?: { app(bot: BotWithSecrets): AppCredentials | null };
  /** Sends its messages: made by the application at its start, with the providers it injects. */
  readonly sender: Type<BotSender>;
}
