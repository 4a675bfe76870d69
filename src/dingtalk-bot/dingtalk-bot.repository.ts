import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import type { ColumnRead } from '../database/column-read';
import { prepared } from '../database/prepared-statements';
import { connectedKinds } from './bot-kinds';
import { DingTalkBot, MsgType } from './entities/dingtalk-bot.entity';

/** A stream bot, as its app's connection, its status and the routing of its messages see it. */
export interface StreamBotRow {
  id: number;
  storeId: number;
  name: string;
  isEnabled: boolean;
  appId: number | null;
  openConversationId: string | null;
}

/** An app as the holder of its Stream connection re-reads it (see heldApps). */
export interface HeldAppRow {
  appId: number;
  clientId: string;
  sealedClientSecret: string;
  agentId: string | null;
  enabledBotIds: number[];
}

/** A day in the stores' time zone at an instant: when a bot's daily summary moment is looked at. */
export interface SummaryMoment {
  /** The stores' date (YYYY-MM-DD in REPORT_TIMEZONE). */
  day: string;
  timeZone: string;
  now: Date;
}

/** An enabled bot as a report's notification is addressed and rendered with: its settings and its report template. */
export type BotForReport = Pick<
  DingTalkBot,
  | 'id'
  | 'botType'
  | 'msgType'
  | 'atMobiles'
  | 'atAll'
  | 'userIds'
  | 'openConversationId'
  | 'atUserIds'
  | 'agentId'
  | 'cardTemplateId'
> & { template: { msgType: MsgType; title: string; body: string } | null };

/**
 * The id is taken in a subquery of one row, so nextval runs once whatever the number of bots (none: one row of
 * NULL bot columns); so is the caller's read of the store (`ofStore`, keyed by $1). $2 names the sequence (the
 * caller's: the report's id). One text per read, prepared once per connection.
 */
function enabledBotsOfStore(ofStore: ColumnRead<unknown>): string {
  const read = ofStore.sql('$1');
  // A parameter of the read's own would silently take one of this statement's ($2: the sequence's name).
  if (/\$(?!1(?!\d))\d+/.test(read)) {
    throw new Error(`The read "${ofStore.name}" uses a parameter other than its key ($1): ${read}`);
  }
  return prepared(
    `report.enabled-bots+${ofStore.name}`,
    `SELECT r.next_id, r.of_store, b.id, b.bot_type, b.msg_type, b.at_mobiles, b.at_all, b.user_ids,
          b.open_conversation_id, b.at_user_ids, b.agent_id, b.card_template_id,
          t.msg_type AS template_msg_type, t.title AS template_title, t.body AS template_body
   FROM (SELECT nextval($2::regclass)::integer AS next_id, ${read} AS of_store) r
   LEFT JOIN ding_talk_bots b ON b.store_id = $1 AND b.is_enabled
   -- A summary template renders the daily summary only: such a bot's reports use the built-in message.
   LEFT JOIN message_templates t ON t.id = b.template_id AND t.purpose = 'report'
   ORDER BY b.id`,
  );
}

interface EnabledBotRow {
  next_id: number;
  of_store: unknown;
  id: number | null;
  bot_type: DingTalkBot['botType'];
  msg_type: MsgType;
  at_mobiles: string[];
  at_all: boolean;
  user_ids: string[];
  open_conversation_id: string | null;
  at_user_ids: string[];
  agent_id: string | null;
  card_template_id: string | null;
  template_msg_type: MsgType | null;
  template_title: string | null;
  template_body: string | null;
}

/** A stored bot's columns that its plain fields (secrets opened) are made of (bot-secrets.ts). */
export type SealedBot = Pick<
  DingTalkBot,
  | 'id'
  | 'name'
  | 'storeId'
  | 'botType'
  | 'msgType'
  | 'isEnabled'
  | 'sealedWebhook'
  | 'sealedSecret'
  | 'atMobiles'
  | 'atAll'
  | 'appId'
  | 'userIds'
  | 'openConversationId'
  | 'atUserIds'
  | 'cardTemplateId'
  | 'rateLimitPerMinute'
  | 'templateId'
  | 'dailySummaryAt'
>;

// The delivery reads the credentials of a dispatcher round's claimed bots that its cache lacks with this, one
// statement a round whatever their number (a bot's first send used to read its bot alone, one transaction per bot).
const SEALED_BOTS = prepared(
  'bots.sealed-by-ids',
  `SELECT id, name, store_id, bot_type, msg_type, is_enabled, webhook, secret, at_mobiles, at_all, app_id, user_ids,
          open_conversation_id, at_user_ids, card_template_id, rate_limit_per_minute, template_id, daily_summary_at
   FROM ding_talk_bots WHERE id = ANY($1::integer[])`,
);

interface SealedBotRow {
  id: number;
  name: string;
  store_id: number;
  bot_type: DingTalkBot['botType'];
  msg_type: MsgType;
  is_enabled: boolean;
  webhook: string | null;
  secret: string | null;
  at_mobiles: string[];
  at_all: boolean;
  app_id: number | null;
  user_ids: string[];
  open_conversation_id: string | null;
  at_user_ids: string[];
  card_template_id: string | null;
  rate_limit_per_minute: number;
  template_id: number | null;
  daily_summary_at: string | null;
}

/**
 * A bot `b`'s summary moment has come on day $1 (in zone $2) at instant $3 when it is enabled with a
 * `daily_summary_at`, its moment that day has come, and it was set up (or enabled) before that moment.
 */
const SUMMARY_MOMENT_CAME = `b.daily_summary_at IS NOT NULL AND b.is_enabled
  AND (($1::date + b.daily_summary_at::time) AT TIME ZONE $2) <= $3::timestamptz
  AND (b.daily_summary_since IS NULL
       OR b.daily_summary_since <= (($1::date + b.daily_summary_at::time) AT TIME ZONE $2))`;

/**
 * The queries other modules make of the bots (table ding_talk_bots), each behind a typed method; they reach it
 * through the ports they declare (bound in src/composition.module.ts). A bot's moment on a day is its
 * `daily_summary_at` on that date in REPORT_TIMEZONE, turned into an instant by PostgreSQL
 * (`(date + time) AT TIME ZONE zone`).
 */
@Injectable()
export class DingTalkBotRepository {
  /** enabledBotsOfStore's text of each read it was called with. */
  private readonly statementOfRead = new WeakMap<ColumnRead<unknown>, string>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Bots whose summary moment of `day` has come (see SUMMARY_MOMENT_CAME), by id. */
  async summaryMomentCame({ day, timeZone, now }: SummaryMoment): Promise<number[]> {
    const rows = await this.dataSource.query<Array<{ id: number }>>(
      `SELECT b.id FROM ding_talk_bots b WHERE ${SUMMARY_MOMENT_CAME} ORDER BY b.id`,
      [day, timeZone, now],
    );
    return rows.map((row) => row.id);
  }

  /**
   * In the caller's transaction: the bot if its summary moment of `day` has come, its settings read now (a change
   * since summaryMomentCame counts); null otherwise. The bot's row is key-share locked until the transaction ends,
   * so that it cannot be deleted under a summary being written for it.
   */
  async lockIfSummaryMomentCame(
    manager: EntityManager,
    botId: number,
    { day, timeZone, now }: SummaryMoment,
  ): Promise<DingTalkBot | null> {
    const rows = await manager.query<Array<{ id: number }>>(
      `SELECT b.id FROM ding_talk_bots b WHERE b.id = $4 AND ${SUMMARY_MOMENT_CAME} FOR KEY SHARE`,
      [day, timeZone, now, botId],
    );
    return rows.length === 0 ? null : manager.findOneByOrFail(DingTalkBot, { id: botId });
  }

  /**
   * In the caller's connection (or transaction): the enabled bots of `storeId` with their report templates, in id
   * order, the next value of `idSequence` (a report's id, which its messages carry), and the caller's `ofStore`
   * keyed by `storeId`, in one statement: it runs for every report, so the template (a bot's setting) and the
   * caller's read are joined here rather than read in round trips of their own.
   */
  async enabledOfStoreForReport<T>(
    manager: EntityManager,
    storeId: number,
    idSequence: string,
    ofStore: ColumnRead<T>,
  ): Promise<{ nextId: number; bots: BotForReport[]; ofStore: T }> {
    let statement = this.statementOfRead.get(ofStore);
    if (statement === undefined) {
      statement = enabledBotsOfStore(ofStore);
      this.statementOfRead.set(ofStore, statement);
    }
    const rows = await manager.query<EnabledBotRow[]>(statement, [storeId, idSequence]);
    const bots = rows
      .filter((row): row is EnabledBotRow & { id: number } => row.id !== null)
      .map((row) => ({
        id: row.id,
        botType: row.bot_type,
        msgType: row.msg_type,
        atMobiles: row.at_mobiles,
        atAll: row.at_all,
        userIds: row.user_ids,
        openConversationId: row.open_conversation_id,
        atUserIds: row.at_user_ids,
        agentId: row.agent_id,
        cardTemplateId: row.card_template_id,
        template:
          row.template_msg_type === null
            ? null
            : { msgType: row.template_msg_type, title: row.template_title!, body: row.template_body! },
      }));
    return { nextId: rows[0].next_id, bots, ofStore: ofStore.parse(rows[0].of_store) };
  }

  /** The bots of `ids` that exist (no secret is opened). */
  async botsByIds(ids: readonly number[]): Promise<DingTalkBot[]> {
    if (ids.length === 0) return [];
    return this.dataSource.getRepository(DingTalkBot).findBy({ id: In([...ids]) });
  }

  /** The bots of `ids` that exist, their secrets still sealed, in one statement (SEALED_BOTS). */
  async sealedByIds(ids: readonly number[]): Promise<SealedBot[]> {
    if (ids.length === 0) return [];
    const rows = await this.dataSource.query<SealedBotRow[]>(SEALED_BOTS, [[...ids]]);
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      storeId: row.store_id,
      botType: row.bot_type,
      msgType: row.msg_type,
      isEnabled: row.is_enabled,
      sealedWebhook: row.webhook,
      sealedSecret: row.secret,
      atMobiles: row.at_mobiles,
      atAll: row.at_all,
      appId: row.app_id,
      userIds: row.user_ids,
      openConversationId: row.open_conversation_id,
      atUserIds: row.at_user_ids,
      cardTemplateId: row.card_template_id,
      rateLimitPerMinute: row.rate_limit_per_minute,
      templateId: row.template_id,
      dailySummaryAt: row.daily_summary_at,
    }));
  }

  /** The apps that have an enabled bot of a kind that keeps a Stream connection: the apps to connect, by id. */
  async connectedAppIds(): Promise<number[]> {
    const rows = await this.dataSource.query<Array<{ app_id: number }>>(
      `SELECT DISTINCT app_id FROM ding_talk_bots
       WHERE bot_type = ANY($1::text[]) AND is_enabled AND app_id IS NOT NULL ORDER BY app_id`,
      [connectedKinds()],
    );
    return rows.map((row) => row.app_id);
  }

  /**
   * The apps of `appIds` that exist, with their credentials (the secret sealed) and their enabled bots of a kind that
   * keeps a Stream connection, in one statement: the holder of the apps' connections reads them every lease round.
   */
  async heldApps(appIds: readonly number[]): Promise<HeldAppRow[]> {
    if (appIds.length === 0) return [];
    const rows = await this.dataSource.query<
      Array<{
        id: number;
        client_id: string;
        client_secret: string;
        agent_id: string | null;
        enabled_bot_ids: number[] | null;
      }>
    >(
      `SELECT a.id, a.client_id, a.client_secret, a.agent_id,
              (SELECT array_agg(b.id ORDER BY b.id) FROM ding_talk_bots b
               WHERE b.app_id = a.id AND b.is_enabled AND b.bot_type = ANY($2::text[])) AS enabled_bot_ids
       FROM dingtalk_apps a WHERE a.id = ANY($1::int[])`,
      [[...new Set(appIds)], connectedKinds()],
    );
    return rows.map((row) => ({
      appId: row.id,
      clientId: row.client_id,
      sealedClientSecret: row.client_secret,
      agentId: row.agent_id,
      enabledBotIds: row.enabled_bot_ids ?? [],
    }));
  }

  /**
   * In the caller's transaction, of the enabled bots of app `appId` of a kind that keeps a Stream connection but bot
   * `exceptId`: how many there are, and those that have no group (`open_conversation_id`), by id; and whether the app
   * has been shared by bots of two stores (dingtalk_apps.shared_since). One statement.
   */
  async otherEnabled(
    manager: EntityManager,
    appId: number,
    exceptId: number,
  ): Promise<{ count: number; appShared: boolean; withoutGroup: Array<{ id: number; storeId: number }> }> {
    const rows = await manager.query<
      Array<{ count: number; app_shared: boolean | null; id: number | null; store_id: number | null }>
    >(
      `SELECT c.count, c.app_shared, b.id, b.store_id
       FROM (SELECT count(*)::integer AS count,
                    (SELECT a.shared_since IS NOT NULL FROM dingtalk_apps a WHERE a.id = $1) AS app_shared
             FROM ding_talk_bots
             WHERE app_id = $1 AND id <> $2 AND is_enabled AND bot_type = ANY($3::text[])) c
       LEFT JOIN ding_talk_bots b
         ON b.app_id = $1 AND b.id <> $2 AND b.is_enabled AND b.open_conversation_id IS NULL
            AND b.bot_type = ANY($3::text[])
       ORDER BY b.id`,
      [appId, exceptId, connectedKinds()],
    );
    return {
      count: rows[0]?.count ?? 0,
      appShared: rows[0]?.app_shared ?? false,
      withoutGroup: rows.flatMap((row) => (row.id === null ? [] : [{ id: row.id, storeId: row.store_id! }])),
    };
  }

  /**
   * Every bot of a kind that keeps a Stream connection, of the given stores (undefined: of every store), of the one
   * app `appId`, or the one bot `botId`, by id.
   */
  async streamBots(filter: {
    storeIds?: readonly number[];
    botId?: number;
    appId?: number;
  }): Promise<StreamBotRow[]> {
    const rows = await this.dataSource.query<
      Array<{
        id: number;
        store_id: number;
        name: string;
        is_enabled: boolean;
        app_id: number | null;
        open_conversation_id: string | null;
      }>
    >(
      `SELECT id, store_id, name, is_enabled, app_id, open_conversation_id FROM ding_talk_bots
       WHERE bot_type = ANY($3::text[]) AND ($1::int[] IS NULL OR store_id = ANY($1::int[]))
         AND ($2::int IS NULL OR id = $2::int) AND ($4::int IS NULL OR app_id = $4::int)
       ORDER BY id`,
      [
        filter.storeIds ? [...filter.storeIds] : null,
        filter.botId ?? null,
        connectedKinds(),
        filter.appId ?? null,
      ],
    );
    return rows.map((row) => ({
      id: row.id,
      storeId: row.store_id,
      name: row.name,
      isEnabled: row.is_enabled,
      appId: row.app_id,
      openConversationId: row.open_conversation_id,
    }));
  }

  /**
   * For a message to app `appId`, in one statement (it runs for every message): the enabled stream bot of group
   * `conversationId`, else of store `storeId`, else the lowest; the number of the app's enabled stream bots;
   * whether a stream bot of the app, enabled or not, has group `conversationId` (a disabled one keeps its group); and
   * whether the app has been shared by bots of two stores (dingtalk_apps.shared_since: deleted bots' stores count).
   */
  async messageBot(
    appId: number,
    wanted: { conversationId?: string | null; storeId?: number | null },
  ): Promise<{ bot: StreamBotRow | null; enabledBots: number; groupHeld: boolean; appShared: boolean }> {
    const rows = await this.dataSource.query<
      Array<{
        id: number;
        store_id: number;
        name: string;
        app_id: number;
        open_conversation_id: string | null;
        enabled_bots: number;
        group_held: boolean;
        app_shared: boolean | null;
      }>
    >(
      `SELECT id, store_id, name, app_id, open_conversation_id, (count(*) OVER ())::integer AS enabled_bots,
              EXISTS (SELECT 1 FROM ding_talk_bots g
                      WHERE g.app_id = $1 AND g.open_conversation_id = $3::text AND g.bot_type = ANY($2::text[]))
                AS group_held,
              (SELECT a.shared_since IS NOT NULL FROM dingtalk_apps a WHERE a.id = $1) AS app_shared
       FROM ding_talk_bots
       WHERE app_id = $1 AND is_enabled AND bot_type = ANY($2::text[])
       ORDER BY COALESCE(open_conversation_id = $3::text, false) DESC, COALESCE(store_id = $4::int, false) DESC, id
       LIMIT 1`,
      [appId, connectedKinds(), wanted.conversationId ?? null, wanted.storeId ?? null],
    );
    const row = rows[0];
    if (!row) return { bot: null, enabledBots: 0, groupHeld: false, appShared: false };
    const bot: StreamBotRow = {
      id: row.id,
      storeId: row.store_id,
      name: row.name,
      isEnabled: true,
      appId: row.app_id,
      openConversationId: row.open_conversation_id,
    };
    return {
      bot,
      enabledBots: row.enabled_bots,
      groupHeld: row.group_held,
      appShared: row.app_shared === true,
    };
  }

  /** Every store with a bot, with its bots counted (the store overview's STORE_BOTS); `stores` narrows it. */
  async botCountsByStore(
    stores: readonly number[] | undefined,
  ): Promise<
    Array<{ storeId: number; bots: number; enabledBots: number; brokenBots: number; degradedBots: number }>
  > {
    // Health counted here, not from a page of the unhealthy: with hundreds broken at once (an app's quota, an IP
    // block), every store must still show its own.
    const rows = await this.dataSource.query<
      Array<{
        store_id: number;
        bots: number;
        enabled_bots: number;
        broken_bots: number;
        degraded_bots: number;
      }>
    >(
      `SELECT b.store_id, count(*)::integer AS bots, (count(*) FILTER (WHERE b.is_enabled))::integer AS enabled_bots,
              (count(*) FILTER (WHERE h.health = 'broken'))::integer AS broken_bots,
              (count(*) FILTER (WHERE h.health = 'degraded'))::integer AS degraded_bots
       FROM ding_talk_bots b LEFT JOIN bot_health h ON h.bot_id = b.id
       WHERE $1::integer[] IS NULL OR b.store_id = ANY($1::integer[])
       GROUP BY b.store_id`,
      [stores ? [...stores] : null],
    );
    return rows.map((row) => ({
      storeId: row.store_id,
      bots: row.bots,
      enabledBots: row.enabled_bots,
      brokenBots: row.broken_bots,
      degradedBots: row.degraded_bots,
    }));
  }
}
