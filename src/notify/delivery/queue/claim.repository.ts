import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../../../common/clock';
import { AppConfig } from '../../../config/app-config';
import { databaseNowMs } from '../../../database/database-time';
import { withCustomPlans } from '../../../database/plan-cache';
import { prepared } from '../../../database/prepared-statements';
import { MsgType } from '../../../dingtalk-bot/entities/dingtalk-bot.entity';
import { RecipientOutcome } from '../../../dingtalk/recipient-outcomes';
import { NotificationKind } from '../../entities/notification.entity';
import { DeliveryTarget } from '../../../dingtalk-bot/bot-sender';
import {
  allotSends,
  AppLimits,
  appWindowsOf,
  BotStateChange,
  DueBot,
  RECHECK_MS,
  SendingBot,
  triageDueBots,
} from './claim-plan';
import { ClaimedNotification } from './claimed-notification';
import { DigestFoldRepository } from './digest-fold.repository';
import { FOLDABLE, IN_TURN, LEASE_END, LEASE_FREE, WAITING } from './queue-conditions';
import { QueueUpkeepRepository } from './queue-upkeep.repository';
import {
  BUDGET_LEFT,
  CLUSTER_BLOCKED_UNTIL,
  RateWindowRepository,
  RobotWindow,
  SPEND_BUDGET,
  TAKE_WINDOWS,
} from './rate-window.repository';

/*
 * The statements of a claim, prepared once per connection (database/prepared-statements.ts): the due bots picked
 * and locked (PICK_DUE_BOTS), read with what decides their send (DUE_BOTS), their robots locked (LOCK_ROBOTS, in
 * rate-window.repository.ts), then everything written in one statement (LEASE_AND_APPLY). NEXT_DUE when nothing was
 * due.
 */
// A bot with a send in flight is left out: its result frees it; if its lease runs out instead (its instance died),
// the sweep finds it. Its next_due_at is on the claiming instance's clock and its lease on the database's, which may
// disagree: counting it here could have the dispatcher look again every few milliseconds until they agree. While
// DingTalk blocks the cluster's IP, nothing is due before the block ends.
const NEXT_DUE = prepared(
  'delivery.next-due',
  `SELECT GREATEST(min(next_due_at), ${CLUSTER_BLOCKED_UNTIL}) AS due
   FROM bot_delivery_states
   WHERE next_due_at IS NOT NULL AND (busy_until IS NULL OR busy_until <= now())`,
);
const PICK_DUE_BOTS = prepared(
  'delivery.pick-due-bots',
  `SELECT bot_id, ${BUDGET_LEFT('$4', '$5')}::integer AS budget FROM bot_delivery_states
   WHERE next_due_at <= $1 AND (busy_until IS NULL OR busy_until <= now()) AND bot_id <> ALL($3::integer[])
   ORDER BY next_due_at LIMIT GREATEST(0, LEAST($2, ${BUDGET_LEFT('$4', '$5')}))::bigint
   FOR UPDATE SKIP LOCKED`,
);
const DUE_BOTS = prepared(
  'delivery.due-bots',
  `SELECT s.bot_id, s.rate_limited_until, COALESCE(b.is_enabled, false) AS enabled,
          b.rate_limit_per_minute AS rate_limit, b.updated_at::text AS version, head.id AS head_id,
          waiting.earliest_due, COALESCE(waiting.moved, false) AS moved, b.store_id,
          COALESCE(b.robot_key, 'bot:' || s.bot_id) AS robot_key, b.app_key,
          app.paused_until AS app_paused_until, ${databaseNowMs('$3')} AS db_now,
          -- The DingTalk calls one send makes: a stream bot's users and group are two.
          CASE WHEN b.bot_type = 'stream'
               THEN GREATEST(1, (jsonb_array_length(b.user_ids) > 0)::integer
                                + (b.open_conversation_id IS NOT NULL)::integer)
               ELSE 1 END AS calls,
          -- What a stream bot's send takes of its app's windows (claim-plan.ts appWindowsOf).
          COALESCE(b.bot_type = 'stream' AND b.open_conversation_id IS NOT NULL, false) AS group_send,
          CASE WHEN b.bot_type = 'stream' THEN jsonb_array_length(b.user_ids) ELSE 0 END AS recipients,
          (SELECT count(*)::integer FROM (
             SELECT 1 FROM notifications n
             WHERE n.bot_id = s.bot_id AND ${FOLDABLE('n')} AND n.store_id = b.store_id AND n.next_attempt_at <= $2
               AND ${LEASE_FREE('n')}
             LIMIT COALESCE(b.rate_limit_per_minute, 0) + 1) fresh) AS fresh_backlog
   FROM bot_delivery_states s
   LEFT JOIN ding_talk_bots b ON b.id = s.bot_id
   -- A notification of another store than its bot's (the bot was moved, maybe while this claim runs) is never
   -- sent: it is neither the head nor due, and 'moved' has the claim skip it.
   LEFT JOIN LATERAL (
     SELECT min(n.next_attempt_at) FILTER (WHERE n.store_id = b.store_id AND ${IN_TURN('n')}) AS earliest_due,
            bool_or(n.store_id <> b.store_id) AS moved
     FROM notifications n
     WHERE n.bot_id = s.bot_id AND n.status IN ${WAITING} AND ${LEASE_FREE('n')}
   ) waiting ON true
   -- An app's pause (its organisation's quota) is only read: the robot rows below are what a claim locks.
   LEFT JOIN robot_rate_windows app ON app.robot_key = b.app_key
   LEFT JOIN LATERAL (
     SELECT n.id FROM notifications n
     WHERE n.bot_id = s.bot_id AND n.status IN ${WAITING} AND n.store_id = b.store_id AND n.next_attempt_at <= $2
       AND ${LEASE_FREE('n')} AND ${IN_TURN('n')}
     ORDER BY n.id LIMIT 1
   ) head ON true
   WHERE s.bot_id = ANY($1::integer[])
   ORDER BY s.bot_id`,
);
/**
 * The end of a claim, in one round trip: the chosen notifications leased (each a new claim number), the due bots'
 * next moments and leases (a bot whose notification could not be leased after all is looked at again at `$12`),
 * the sends their robots' windows took, the calls spent from the cluster's budget, and when the dispatcher is next
 * needed (NEXT_DUE, with this statement's own changes to the bots, which its snapshot does not see).
 */
const LEASE_AND_APPLY = prepared(
  'delivery.lease-and-apply',
  `WITH leased AS (
     UPDATE notifications n
     SET lease_owner = $4, lease_expires_at = ${LEASE_END('$7')}, claim = nextval('notification_claims')
     WHERE n.id = ANY($11::bigint[]) AND n.status IN ${WAITING} AND ${LEASE_FREE('n')}
     RETURNING n.id, n.bot_id, n.store_id, n.kind, n.msg_type, n.title, n.content, n.at_mobiles, n.at_user_ids,
               n.at_all, n.attempts, n.remaining_targets, n.recipients, n.claim),
   ${TAKE_WINDOWS('$5', '$6')},
   ${SPEND_BUDGET('$8', '$9', '$10')},
   changes AS (
     SELECT c.bot_id, l.claim,
            CASE WHEN c.lease_id IS NULL OR l.claim IS NOT NULL THEN c.next_due_at ELSE $12::timestamptz END
              AS next_due_at
     FROM unnest($1::integer[], $2::timestamptz[], $3::bigint[]) AS c(bot_id, next_due_at, lease_id)
     LEFT JOIN leased l ON l.id = c.lease_id),
   states AS (
     UPDATE bot_delivery_states s
     SET next_due_at = c.next_due_at, busy_claim = c.claim,
         busy_owner = CASE WHEN c.claim IS NULL THEN NULL ELSE $4 END,
         busy_until = CASE WHEN c.claim IS NULL THEN NULL ELSE ${LEASE_END('$7')} END
     FROM changes c
     WHERE s.bot_id = ANY($1::integer[]) AND s.bot_id = c.bot_id)
   SELECT GREATEST(LEAST((SELECT min(next_due_at) FROM bot_delivery_states
                          WHERE next_due_at IS NOT NULL AND (busy_until IS NULL OR busy_until <= now())
                            AND bot_id <> ALL($1::integer[])),
                         (SELECT min(c.next_due_at) FROM changes c WHERE c.claim IS NULL)),
                   ${CLUSTER_BLOCKED_UNTIL}) AS next_due,
          l.*
   FROM (SELECT 1) one LEFT JOIN leased l ON true`,
);

/** A row of LEASE_AND_APPLY: when the dispatcher is next needed, and a leased notification (none: all null). */
interface LeasedRow {
  next_due: Date | null;
  id: string | null;
  bot_id: number;
  store_id: number;
  kind: NotificationKind;
  msg_type: MsgType;
  title: string;
  content: string;
  at_mobiles: string[];
  at_user_ids: string[];
  at_all: boolean;
  attempts: number;
  remaining_targets: DeliveryTarget[] | null;
  recipients: RecipientOutcome[] | null;
  claim: string;
}

/** What a claim asks for: up to `maxClaims` sends for `owner`, leased for `leaseMs`, passing over `busyBotIds`. */
export interface ClaimRequest {
  owner: string;
  maxClaims: number;
  busyBotIds: readonly number[];
  /** The application's clock: what is due, and the bots' next moments. */
  now: number;
  leaseMs: number;
}

/** The claims, and when the dispatcher is next needed (the claim's last statement reads it, with its own changes). */
export interface Claim {
  claimed: ClaimedNotification[];
  nextDueAt: Date | null;
}

/**
 * Leases due notifications, one per bot, oldest first: the due bots through an index on `next_due_at` (SKIP LOCKED:
 * a bot another instance is claiming for is passed over), their robots locked (SKIP LOCKED again), each bot's oldest
 * due notification leased unless its robot's window, a pause or the cluster's budget holds it back, a long backlog
 * folded into a digest first, and each bot's next moment set. In the round's transaction, after its recording.
 */
@Injectable()
export class ClaimRepository {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly windows: RateWindowRepository,
    private readonly digests: DigestFoldRepository,
    private readonly upkeep: QueueUpkeepRepository,
  ) {}

  /** Null when no bot was due (nothing written). */
  async claim(manager: EntityManager, request: ClaimRequest): Promise<Claim | null> {
    const { owner, maxClaims, now, leaseMs, busyBotIds } = request;
    if (maxClaims <= 0) return null;
    const at = new Date(now);
    const override = this.clock.databaseNowOverride();
    // The due bots, locked. Their messages are read by the next statement, which sees every commit made before
    // these locks were granted (READ COMMITTED takes a snapshot per statement).
    const rate = this.config.dingtalk.callBudgetPerSecond;
    const picked: Array<{ bot_id: number; budget: number }> = await manager.query(PICK_DUE_BOTS, [
      at,
      maxClaims,
      [...busyBotIds],
      rate,
      override,
    ]);
    if (picked.length === 0) return null;
    const bots: DueBot[] = await manager.query(DUE_BOTS, [picked.map((row) => row.bot_id), at, override]);

    const triage = triageDueBots(bots, now);
    // Custom plans (the round runs on generic ones, delivery-queue.ts): its generic plan, for every bot or some,
    // scans every waiting notification.
    if (triage.undeliverable.length > 0)
      await withCustomPlans(manager, () => this.upkeep.skipUndeliverable(manager, at, triage.undeliverable));
    // The candidates' robots and their apps' windows, locked (or skipped when another claim holds them): two bots of
    // one robot, claimed by two instances at once, must not both find room for the 20th message of the minute.
    const appLimits: AppLimits = {
      callsPerSecond: this.config.dingtalk.appApiCallsPerSecond,
      recipientsPerMinute: this.config.dingtalk.workNotificationRecipientsPerMinute,
    };
    const windowKeys = triage.candidates.flatMap((bot) => [
      bot.robot_key,
      ...appWindowsOf(bot, appLimits).map((use) => use.key),
    ]);
    const robots =
      windowKeys.length > 0
        ? await this.windows.lockRobots(manager, [...new Set(windowKeys)])
        : new Map<string, RobotWindow>();
    // The cluster's DingTalk calls left: as many bots were picked at most; a stream bot's send may take two.
    const allotment = allotSends(triage.candidates, robots, {
      now,
      marginMs: this.config.delivery.rateWindowMarginMs,
      budget: Number(picked[0].budget),
      rate,
      app: appLimits,
    });
    const toLease = new Map<string, { bot: SendingBot; stamp: number }>();
    for (const send of allotment.sends) {
      const { bot } = send;
      // A backlog longer than a minute's worth of the bot's rate goes out as one digest.
      // Custom plans for the fold: the generic plan of its read of the bot's backlog sorts all of it, not the
      // first thousand by the index.
      const digestId =
        bot.fresh_backlog > bot.rate_limit
          ? await withCustomPlans(manager, () =>
              this.digests.fold(manager, {
                botId: bot.bot_id,
                storeId: bot.store_id,
                rateLimit: bot.rate_limit,
                at,
              }),
            )
          : null;
      toLease.set(digestId ?? String(bot.head_id), send);
    }
    // When the lease ends on this instance's clock: the bot's next due moment should its send never be recorded.
    const leaseUntil = new Date(now + leaseMs);
    const changes: BotStateChange[] = [
      ...triage.changes,
      ...allotment.changes,
      ...[...toLease].map(([leaseId, { bot }]) => ({ botId: bot.bot_id, nextDueAt: leaseUntil, leaseId })),
    ];
    const rows: LeasedRow[] = await manager.query(LEASE_AND_APPLY, [
      changes.map((c) => c.botId),
      changes.map((c) => c.nextDueAt),
      changes.map((c) => c.leaseId),
      owner,
      [...allotment.windows.keys()],
      [...allotment.windows.values()].map((recent) => JSON.stringify(recent)),
      leaseMs,
      allotment.spent,
      rate,
      override,
      [...toLease.keys()],
      // Not leased after all (should not happen under the bot's lock): looked at again shortly rather than never.
      new Date(now + RECHECK_MS),
    ]);
    const claimed: ClaimedNotification[] = [];
    for (const row of rows) {
      if (row.id === null) continue; // None leased: the one row says when the next is due.
      const { bot, stamp } = toLease.get(String(row.id))!;
      claimed.push({
        ...toClaimed({ ...row, id: row.id }),
        botVersion: bot.version,
        claimedAt: now,
        windowStamp: stamp,
        claim: String(row.claim),
        robotKey: bot.robot_key,
        appKey: bot.app_key,
      });
    }
    claimed.sort((a, b) => Number(a.id) - Number(b.id));
    return { claimed, nextDueAt: rows[0].next_due };
  }

  /** When the dispatcher is next needed (a round that claimed nothing). */
  async nextDue(manager: EntityManager): Promise<Date | null> {
    const [{ due }]: Array<{ due: Date | null }> = await manager.query(NEXT_DUE);
    return due;
  }
}

function toClaimed(
  row: LeasedRow & { id: string },
): Omit<ClaimedNotification, 'claimedAt' | 'windowStamp' | 'botVersion' | 'claim' | 'robotKey' | 'appKey'> {
  return {
    id: String(row.id),
    botId: Number(row.bot_id),
    storeId: Number(row.store_id),
    kind: row.kind,
    msgType: row.msg_type,
    title: row.title,
    content: row.content,
    atMobiles: row.at_mobiles,
    atUserIds: row.at_user_ids,
    atAll: row.at_all,
    attempts: Number(row.attempts),
    remainingTargets: row.remaining_targets ?? null,
    recipients: row.recipients ?? null,
  };
}
