import { Inject, Injectable, Logger, NotFoundException, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, FindOptionsWhere, In, IsNull, Not, Repository } from 'typeorm';
import { AuthUser } from '../auth/auth-user';
import {
  assertCanSee,
  assertCanWriteStore,
  canAccessStore,
  storeForCreate,
  storesToList,
} from '../auth/store-scope';
import { Clock } from '../common/clock';
import { SecretBox } from '../common/crypto/secret-box';
import { Page, pageWindow } from '../common/http/pagination.dto';
import { RetryLaterException } from '../common/http/retry-later.exception';
import { AppConfig } from '../config/app-config';
import { splitErrcode } from '../dingtalk/errcode';
import { DingTalkApp } from '../dingtalk-app/entities/dingtalk-app.entity';
import { AppEvent, AppEvents } from '../events/app-events';
import { BotApps } from './bot-app';
import { groupTakenAs, writing } from './bot-write-errors';
import { BotFields, BotWithSecrets } from './bot-fields';
import { BotSecrets } from './bot-secrets';
import { BOT_HEALTH_READER, BotHealthReader, BotHealthView } from './bot-health-reader';
import { botKind } from './bot-kinds';
import { assertUsableTemplate, BOT_TEMPLATES, BotTemplates } from './bot-templates';
import { BOT_TEST_SENDER, BotTestSender } from './bot-test-sender';
import { applyBotChanges, changedFields } from './bot-rules';
import { healthFields } from './dto/bot-health.fields';
import { BotTestResultResponse } from './dto/bot-test-result.response';
import { DingTalkBotRepository } from './dingtalk-bot.repository';
import { CreateDingTalkBotDto } from './dto/create-dingtalk-bot.dto';
import { DingTalkBotResponse, SavedDingTalkBotResponse } from './dto/dingtalk-bot.response';
import { ListDingTalkBotsQuery } from './dto/list-dingtalk-bots.query';
import { UpdateDingTalkBotDto } from './dto/update-dingtalk-bot.dto';
import { DingTalkBot } from './entities/dingtalk-bot.entity';
import { BotHealth } from '../events/bot-health.events';
import { BotSnapshot } from '../events/dingtalk-bot.events';
import { maskWebhook } from './webhook-url';

/**
 * What 绑定 did: bound this group, found it bound already, found another group bound, found the group another bot's
 * of the same app (another store's), or found no stream bot.
 */
export type BindResult = 'bound' | 'already_bound' | 'bound_elsewhere' | 'group_taken' | 'not_found';

/** Bots of the stores a caller manages: CRUD with sealed secrets, the test button and the status. */
@Injectable()
export class DingTalkBotService implements OnApplicationBootstrap {
  private readonly logger = new Logger(DingTalkBotService.name);

  constructor(
    @InjectRepository(DingTalkBot) private readonly bots: Repository<DingTalkBot>,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(BOT_TEMPLATES) private readonly templates: BotTemplates,
    private readonly secrets: SecretBox,
    private readonly config: AppConfig,
    private readonly events: AppEvents,
    @Inject(BOT_TEST_SENDER) private readonly testSender: BotTestSender,
    private readonly clock: Clock,
    @Inject(BOT_HEALTH_READER) private readonly health: BotHealthReader,
    private readonly apps: BotApps,
    private readonly botSecrets: BotSecrets,
    private readonly repository: DingTalkBotRepository,
  ) {}

  /**
   * Bots saved before robots had keys get theirs (their credentials are sealed, so SQL cannot hash them): until then
   * each one counts its sends on its own.
   */
  async onApplicationBootstrap(): Promise<void> {
    const unkeyed = await this.bots.find({ where: { robotKey: IsNull() }, take: 10_000 });
    let keyed = 0;
    for (const bot of unkeyed) {
      const { robotKey, appKey } = robotOf(this.botSecrets.open(bot), await this.apps.of(bot));
      if (robotKey === null) continue;
      await this.bots.update({ id: bot.id, robotKey: IsNull() }, { robotKey, appKey });
      keyed += 1;
    }
    if (keyed > 0) this.logger.log(`Keyed ${keyed} bots by their DingTalk robot`);
  }

  async create(user: AuthUser, request: CreateDingTalkBotDto): Promise<SavedDingTalkBotResponse> {
    const storeId = storeForCreate(user, request.store_id);
    const fields = applyBotChanges(null, request, storeId, this.config.dingtalk.webhookOrigins);
    await assertUsableTemplate(this.templates, this.dataSource.manager, fields.templateId, fields.storeId);
    const { saved, app, warnings } = await writing(fields.appId, () =>
      this.dataSource.transaction(async (manager) => {
        const app = await this.apps.resolve(manager, request, fields, user);
        const bot = this.seal(fields, app, new DingTalkBot());
        bot.dailySummarySince = summarySince(null, fields, this.clock.now());
        const saved = await manager.save(bot);
        const sharedNow = await this.apps.attach(manager, saved);
        return { saved, app, warnings: await this.warningsOf(manager, user, saved, sharedNow) };
      }),
    );
    await this.events.emit(AppEvent.BotCreated, { bot: snapshot(saved) });
    return { ...(await this.respond(saved, app)), warnings };
  }

  async list(user: AuthUser, query: ListDingTalkBotsQuery): Promise<Page<DingTalkBotResponse>> {
    const stores = storesToList(user, query.store_id);
    if (stores?.length === 0) return new Page([], 0, query);
    const where: FindOptionsWhere<DingTalkBot> = stores ? { storeId: In([...stores]) } : {};
    if (query.bot_type !== undefined) where.botType = query.bot_type;
    if (query.is_enabled !== undefined) where.isEnabled = query.is_enabled;
    if (query.health !== undefined) {
      const ids = await this.withHealth(query.health);
      if (ids === 'none') return new Page([], 0, query);
      if (ids !== undefined) where.id = ids;
    }
    const [rows, total] = await this.bots.findAndCount({
      where,
      order: { id: 'DESC' },
      ...pageWindow(query),
    });
    const [apps, health] = await Promise.all([
      this.apps.ofAll(rows),
      this.health.healthOf(rows.map((row) => row.id)),
    ]);
    return new Page(
      rows.map((row) =>
        this.toResponse(row, row.appId === null ? null : (apps.get(row.appId) ?? null), health.get(row.id)),
      ),
      total,
      query,
    );
  }

  async get(user: AuthUser, id: number): Promise<DingTalkBotResponse> {
    const bot = await this.findVisible(user, id);
    return this.respond(bot, await this.apps.of(bot));
  }

  /**
   * Read, merge, check and write under a row lock, so that concurrent updates of one bot apply one after the
   * other, each to the result of the previous one.
   */
  async update(user: AuthUser, id: number, request: UpdateDingTalkBotDto): Promise<SavedDingTalkBotResponse> {
    const { before, after, saved, app, warnings } = await writing(request.app_id ?? null, () =>
      this.dataSource.transaction(async (manager) => {
        const bot = await manager.findOne(DingTalkBot, {
          where: { id },
          lock: { mode: 'pessimistic_write' },
        });
        if (!bot) throw botNotFound(id);
        assertCanSee(user, bot.storeId, () => botNotFound(id));
        if (request.store_id !== undefined) assertCanWriteStore(user, request.store_id);
        const current = this.botSecrets.open(bot);
        const changes = this.apps.completeRequest(request, await this.apps.of(bot, manager));
        const next = applyBotChanges(
          current,
          changes,
          request.store_id ?? bot.storeId,
          this.config.dingtalk.webhookOrigins,
        );
        await assertUsableTemplate(this.templates, manager, next.templateId, next.storeId);
        const app = await this.apps.resolve(manager, changes, next, user);
        const beforeSnapshot = snapshot(bot);
        const since = summarySince(current, next, this.clock.now()) ?? bot.dailySummarySince;
        const sealed = this.seal(next, app, bot);
        sealed.dailySummarySince = next.dailySummaryAt === null ? null : since;
        const written = await manager.save(sealed);
        const sharedNow = await this.apps.attach(manager, written);
        return {
          before: { fields: current, snapshot: beforeSnapshot },
          after: next,
          saved: written,
          app,
          warnings: await this.warningsOf(manager, user, written, sharedNow),
        };
      }),
    );
    const changed = changedFields(before.fields, after);
    if (changed.length > 0) {
      await this.events.emit(AppEvent.BotUpdated, {
        before: before.snapshot,
        after: snapshot(saved),
        changed,
      });
    }
    return { ...(await this.respond(saved, app)), warnings };
  }

  /**
   * 绑定 (a staff command): a group written from becomes the stream bot's `open_conversation_id` if it has none yet.
   * Under the row lock, so that two groups binding at once cannot both win; announced like any other change.
   */
  async bindConversation(id: number, openConversationId: string): Promise<BindResult> {
    const result = await groupTakenAs({ outcome: 'group_taken' as const }, () =>
      this.dataSource.transaction(async (manager) => {
        const bot = await manager.findOne(DingTalkBot, {
          where: { id },
          lock: { mode: 'pessimistic_write' },
        });
        // A group is bound through a message to the bot, which only a bot with a Stream connection receives.
        if (!bot || !botKind(bot.botType).connection) return { outcome: 'not_found' as const };
        if (bot.openConversationId === openConversationId) return { outcome: 'already_bound' as const };
        if (bot.openConversationId !== null) return { outcome: 'bound_elsewhere' as const };
        const before = snapshot(bot);
        bot.openConversationId = openConversationId;
        Object.assign(bot, robotOf(this.botSecrets.open(bot), await this.apps.of(bot, manager)));
        const saved = await manager.save(bot);
        return { outcome: 'bound' as const, before, after: snapshot(saved) };
      }),
    );
    if (result.outcome === 'bound') {
      await this.events.emit(AppEvent.BotUpdated, {
        before: result.before,
        after: result.after,
        changed: ['openConversationId'],
      });
    }
    return result.outcome;
  }

  async remove(user: AuthUser, id: number): Promise<{ id: number }> {
    const bot = await this.findVisible(user, id);
    await this.bots.delete({ id });
    await this.events.emit(AppEvent.BotDeleted, { bot: snapshot(bot) });
    return { id };
  }

  /**
   * Sends a test message now, through the same sender notifications use, and explains a failure. It counts in the
   * bot's rate window like any other message: a bot at its limit (or paused by DingTalk) answers 429 with when to
   * try again, rather than risking DingTalk's 10-minute ban.
   */
  async test(user: AuthUser, id: number): Promise<BotTestResultResponse> {
    const bot = await this.withSecrets(await this.findVisible(user, id));
    const result = await this.testSender.sendTest(bot);
    if (!result.sent) throw heldBack(id, result.reason, result.retryAt, this.clock.now());
    const { outcome } = result;
    return {
      ok: outcome.kind === 'ok',
      ...splitErrcode(outcome.errcode),
      errmsg: outcome.errmsg,
      hint: outcome.hint,
      latency_ms: outcome.latencyMs,
    };
  }

  /** A bot with its secrets (and its app's) opened, for the modules that send or connect; no store scoping. */
  async findWithSecrets(id: number): Promise<BotWithSecrets | null> {
    const bot = await this.bots.findOneBy({ id });
    return bot ? this.withSecrets(bot) : null;
  }

  /**
   * The bots of `ids` that exist, by id, with their secrets (and their apps') opened: one statement for the bots,
   * one for their apps if any has one. For the delivery, which reads a round's bots at once; no store scoping.
   */
  async findManyWithSecrets(ids: readonly number[]): Promise<Map<number, BotWithSecrets>> {
    return this.botSecrets.allWithSecrets(await this.repository.sealedByIds(ids));
  }

  /** Opens a stored bot's secrets, and its app's. */
  withSecrets(bot: DingTalkBot): Promise<BotWithSecrets> {
    return this.botSecrets.withSecrets(bot);
  }

  /** Bot `id` if the caller may see it; a 404 otherwise (also for another store's bot). */
  async findVisible(user: AuthUser, id: number): Promise<DingTalkBot> {
    const bot = await this.bots.findOneBy({ id });
    if (!bot) throw botNotFound(id);
    assertCanSee(user, bot.storeId, () => botNotFound(id));
    return bot;
  }

  private seal(fields: BotFields, app: DingTalkApp | null, bot: DingTalkBot): DingTalkBot {
    const { webhook, secret, ...plain } = fields;
    return Object.assign(bot, plain, robotOf(fields, app), {
      agentId: app?.agentId ?? null,
      sealedWebhook: this.secrets.sealOptional(webhook),
      sealedSecret: this.secrets.sealOptional(secret),
    });
  }

  /**
   * The bots' ids condition for a health filter: the unhealthy are few (the health module keeps them indexed), so
   * `healthy` is every bot but those.
   */
  private async withHealth(health: BotHealth): Promise<FindOptionsWhere<DingTalkBot>['id'] | 'none'> {
    if (health !== 'healthy') {
      const ids = await this.health.botIdsWith(health);
      return ids.length === 0 ? 'none' : In(ids);
    }
    const unhealthy = [
      ...(await this.health.botIdsWith('degraded')),
      ...(await this.health.botIdsWith('broken')),
    ];
    return unhealthy.length === 0 ? undefined : Not(In(unhealthy));
  }

  /**
   * In the transaction that saved `bot` (`sharedNow`: this write made its app shared by two stores): what the caller
   * should know of what its change does to the messages of the bot and of its app's other bots. The only enabled
   * stream bot without a group of an app never shared takes every group's messages (an upgraded single-store app,
   * message-router.ts); with another bot enabled on the app, or once the app is shared, it takes none, silently: so
   * `bot` itself is warned of when it has no group in that case, and each other enabled bot without a group is named
   * (also when `bot` is disabled, if it made the app shared: they lose every group's messages for good). A bot of a
   * store the caller does not manage is not named: its id and store are not theirs to see.
   */
  private async warningsOf(
    manager: EntityManager,
    user: AuthUser,
    bot: DingTalkBot,
    sharedNow: boolean,
  ): Promise<string[]> {
    if (bot.appId === null || !botKind(bot.botType).connection) return [];
    if (!bot.isEnabled && !sharedNow) return [];
    const others = await this.repository.otherEnabled(manager, bot.appId, bot.id);
    const alone = others.count === 0;
    const own =
      bot.isEnabled && bot.openConversationId === null && (!alone || others.appShared)
        ? [noGroupOfItsOwn(bot.id, bot.appId, alone)]
        : [];
    return [
      ...own,
      ...others.withoutGroup.map((other) =>
        groupMessagesLost(bot.appId!, canAccessStore(user, other.storeId) ? other : null),
      ),
    ];
  }

  private async respond(bot: DingTalkBot, app: DingTalkApp | null): Promise<DingTalkBotResponse> {
    const health = await this.health.healthOf([bot.id]);
    return this.toResponse(bot, app, health.get(bot.id));
  }

  private toResponse(
    bot: DingTalkBot,
    app: DingTalkApp | null,
    health: BotHealthView | undefined,
  ): DingTalkBotResponse {
    const webhook = this.secrets.openOptional(bot.sealedWebhook);
    return {
      id: bot.id,
      name: bot.name,
      store_id: bot.storeId,
      bot_type: bot.botType,
      msg_type: bot.msgType,
      is_enabled: bot.isEnabled,
      webhook: webhook === null ? null : maskWebhook(webhook),
      has_secret: bot.sealedSecret !== null,
      at_mobiles: bot.atMobiles,
      at_all: bot.atAll,
      app_id: bot.appId,
      client_id: app?.clientId ?? null,
      agent_id: app?.agentId ?? null,
      has_client_secret: app !== null,
      user_ids: bot.userIds,
      open_conversation_id: bot.openConversationId,
      at_user_ids: bot.atUserIds,
      card_template_id: bot.cardTemplateId,
      rate_limit_per_minute: bot.rateLimitPerMinute,
      template_id: bot.templateId,
      daily_summary_at: bot.dailySummaryAt,
      ...healthFields(health),
      created_at: bot.createdAt.toISOString(),
      updated_at: bot.updatedAt.toISOString(),
    };
  }
}

/**
 * Why another bot of the app (`other`, null when the caller may not see it) takes no group's messages now that a
 * second enabled bot, or a bot of another store, is on the app, and what to do about it.
 */
function groupMessagesLost(appId: number, other: { id: number; storeId: number } | null): string {
  const who = other ? `Bot ${other.id} (store ${other.storeId})` : 'A bot of another store';
  const fix = other
    ? `Set its open_conversation_id to its group: PUT /api/v1/dingtalk-bots/${other.id}.`
    : "Its store's admin should set its open_conversation_id to its group.";
  return (
    `${who} on app ${appId} has no open_conversation_id: it took every group's messages only while it was the ` +
    "only enabled bot of an app that had served one store. With this bot on the app it takes no group's messages " +
    '(a group gets a "not linked" answer that names its open_conversation_id), nor one-to-one messages of senders ' +
    `not bound to a store. ${fix}`
  );
}

/**
 * Why bot `id`, without a group on app `appId` beside another enabled bot, or `alone` on an app that bots of other
 * stores have used (deleted since, or switched off), takes no group's messages.
 */
function noGroupOfItsOwn(id: number, appId: number, alone: boolean): string {
  const app = alone ? `app ${appId} has served bots of other stores` : `app ${appId} has other enabled bots`;
  return (
    `This bot has no open_conversation_id and ${app}: a bot without one takes every group's messages only as the ` +
    "only enabled bot of an app that has served one store, so this bot takes no group's messages (its group gets a " +
    '"not linked" answer that names its open_conversation_id), nor one-to-one messages of senders not bound to its ' +
    `store. Set its open_conversation_id to its group: PUT /api/v1/dingtalk-bots/${id}.`
  );
}

function botNotFound(id: number): NotFoundException {
  return new NotFoundException(`DingTalk bot ${id} not found`);
}

function heldBack(
  id: number,
  reason: 'rate_window' | 'throttled' | 'ip_blocked',
  retryAt: number,
  now: number,
): RetryLaterException {
  const seconds = Math.max(1, Math.ceil((retryAt - now) / 1000));
  const when = `Try again in ${seconds} s (after ${new Date(retryAt).toISOString()}).`;
  const why =
    reason === 'ip_blocked'
      ? "DingTalk blocked this server's IP address for calling too often: nothing is sent until the block is over."
      : reason === 'throttled'
        ? `DingTalk throttled bot ${id}: nothing is sent to it until the pause is over.`
        : `The DingTalk robot of bot ${id} (with every bot that uses the same webhook or app robot) has sent as many messages in the last minute as its rate_limit_per_minute allows; one more now would get it throttled by DingTalk for 10 minutes.`;
  return new RetryLaterException(`${why} ${when}`, seconds);
}

/**
 * The new `daily_summary_since` when a change starts the summary afresh: the time switched on or changed, or the bot
 * enabled with a time set. A day whose moment came before it is skipped, so a bot set up after today's moment waits
 * for tomorrow instead of getting a summary at an hour nobody asked for. null: nothing to restart.
 */
function summarySince(before: BotFields | null, after: BotFields, now: number): Date | null {
  if (after.dailySummaryAt === null || !after.isEnabled) return null;
  const restarted = before === null || before.dailySummaryAt !== after.dailySummaryAt || !before.isEnabled;
  return restarted ? new Date(now) : null;
}

/** The robot (and app) whose limits the bot's sends count against, as its kind says. */
export function robotOf(
  fields: BotFields,
  app: DingTalkApp | null,
): Pick<DingTalkBot, 'robotKey' | 'appKey'> {
  return botKind(fields.botType).robot({ ...fields, app });
}

export function snapshot(bot: DingTalkBot): BotSnapshot {
  return {
    id: bot.id,
    storeId: bot.storeId,
    botType: bot.botType,
    isEnabled: bot.isEnabled,
    appId: bot.appId,
  };
}
