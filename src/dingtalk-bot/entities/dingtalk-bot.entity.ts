import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { MSG_TYPES, MsgType } from '../../dingtalk/outgoing-message';

/** A bot's kind, `bot_type`: a registered BotKind's type (bot-kinds.ts). */
export type BotType = string;
/** A bot's msg_type column holds one of DingTalk's message types; re-exported for the callers that know bots. */
export { MSG_TYPES };
export type { MsgType };

/**
 * A store's DingTalk bot. `webhook` and `secret` hold sealed values (SecretBox): the webhook URL carries its robot's
 * access_token, which is as much a credential as the secret. A stream bot's credentials are its app's (`appId`).
 */
@Entity({ name: 'ding_talk_bots' })
@Index('idx_ding_talk_bots_store_enabled', ['storeId', 'isEnabled'])
export class DingTalkBot {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ name: 'store_id', type: 'integer' })
  storeId: number;

  @Column({ name: 'bot_type', type: 'varchar', length: 16, default: 'webhook' })
  botType: BotType;

  @Column({ name: 'msg_type', type: 'varchar', length: 16, default: 'markdown' })
  msgType: MsgType;

  @Column({ name: 'is_enabled', type: 'boolean', default: true })
  isEnabled: boolean;

  @Column({ name: 'webhook', type: 'text', nullable: true })
  sealedWebhook: string | null;

  @Column({ name: 'secret', type: 'text', nullable: true })
  sealedSecret: string | null;

  /** A stream bot's DingTalk app (dingtalk_apps): its credentials are the app's, shared by all its bots. */
  @Column({ name: 'app_id', type: 'integer', nullable: true })
  appId: number | null;

  /**
   * The AgentId of the bot's app, copied here and kept so by this module (on every save of the bot, and in the
   * transaction that changes the app): the size of a work notification depends on it, and the delivery sizes every
   * report's messages from the bots' rows alone, in one statement per report.
   */
  @Column({ name: 'agent_id', type: 'varchar', length: 20, nullable: true })
  agentId: string | null;

  @Column({ name: 'at_mobiles', type: 'jsonb', default: () => "'[]'" })
  atMobiles: string[];

  @Column({ name: 'at_all', type: 'boolean', default: false })
  atAll: boolean;

  @Column({ name: 'user_ids', type: 'jsonb', default: () => "'[]'" })
  userIds: string[];

  @Column({ name: 'open_conversation_id', type: 'varchar', length: 255, nullable: true })
  openConversationId: string | null;

  @Column({ name: 'at_user_ids', type: 'jsonb', default: () => "'[]'" })
  atUserIds: string[];

  /**
   * A stream bot's template of DingTalk's card platform (docs/dingtalk/cards/README.md): the id its interactive
   * cards are created from; null: it sends no cards.
   */
  @Column({ name: 'card_template_id', type: 'varchar', length: 128, nullable: true })
  cardTemplateId: string | null;

  @Column({ name: 'rate_limit_per_minute', type: 'integer', default: 20 })
  rateLimitPerMinute: number;

  @Column({ name: 'template_id', type: 'integer', nullable: true })
  templateId: number | null;

  /** "HH:MM" in REPORT_TIMEZONE: when the bot gets the day's summary; null: never. */
  @Column({ name: 'daily_summary_at', type: 'varchar', length: 5, nullable: true })
  dailySummaryAt: string | null;

  /**
   * When `dailySummaryAt` was last switched on or changed, or the bot enabled with it set: a day whose summary
   * moment came before this is not summarised (the bot waits for the next day).
   */
  @Column({ name: 'daily_summary_since', type: 'timestamptz', nullable: true })
  dailySummarySince: Date | null;

  /** The DingTalk robot this bot sends through, hashed (dingtalk/robot-identity.ts): its rate window's key. */
  @Column({ name: 'robot_key', type: 'varchar', length: 80, nullable: true })
  robotKey: string | null;

  /** A stream bot's DingTalk app, hashed: the key of a pause of all the app's bots (its monthly quota). */
  @Column({ name: 'app_key', type: 'varchar', length: 80, nullable: true })
  appKey: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
