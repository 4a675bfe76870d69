import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../../../config/app-config';
import { Clock } from '../../../common/clock';
import { databaseNow, databaseNowMs } from '../../../database/database-time';
import { prepared } from '../../../database/prepared-statements';
import { rowsOf } from '../../../database/query-rows';
import { MsgType } from '../../../dingtalk-bot/entities/dingtalk-bot.entity';
import { RecipientOutcome } from '../../../dingtalk/recipient-outcomes';
import { NotificationKind } from '../../entities/notification.entity';
import { DeliveryTarget } from '../../senders/bot-sender';
import { SizedBot, textBudget } from '../../message-parts';
import { buildDigest, WIDEST_DIGEST_TITLE } from '../digest';
import { RATE_WINDOW_MS, windowFreeAt, windowSends } from '../rate-window';
import { ClaimedNotification, SendResult } from './claimed-notification';
import { FOLDABLE, IN_TURN, LEASE_END, LEASE_FREE, WAITING } from './queue-conditions';
import {
  BUDGET_LEFT,
  CLUSTER_BLOCKED_UNTIL,
  RobotWindow,
  RateWindowRepository,
  SPEND_BUDGET,
  TAKE_WINDOWS,
} from './rate-window.repository';
import { RecordingRepository } from './recording.repository';

export interface CycleRequest {
  owner: string;
  /** Sends that finished since the last cycle: recorded first, which frees their bots for this cycle's claim. */
  results: readonly SendResult[];
  /** How many notifications to lease now (free send slots); 0 only records. */
  maxClaims: number;
  /**
   * Bots this instance is still sending to or has results of not yet recorded: passed over even if their lease
   * ran out (a slow send must not be doubled by its own instance).
   */
  busyBotIds: readonly number[];
  now: number;
  leaseMs: number;
}

export interface CycleAnswer {
  /** Ids of the recorded results whose claim still held the row (the others were taken over or resent). */
  held: Set<string>;
  claimed: ClaimedNotification[];
  /** The earliest moment any bot needs the dispatcher again; null when nothing waits. */
  nextDueAt: number | null;
}

/** What the status of a bot shows about its deliveries. */
export interface BotDeliveryState {
  lastDeliveryAt: Date | null;
  lastDeliveryStatus: string | null;
  pending: number;
  /** The latest of the pauses that hold the bot back: its robot's, its app's. */
  rateLimitedUntil: Date | null;
  /** Why, in plain words (DingTalk's answer and what to do), while a pause lasts. */
  pauseHint: string | null;
}

const SKIPPED_HINT =
  'The bot was disabled or deleted before this notification was sent; resend it once the bot is enabled again.';
const MOVED_HINT =
  "The bot was moved to another store before this notification was sent: it belongs to the bot's old store, so it " +
  "does not go to the bot's new destination.";

/**
 * Marks the bots `botIdsQuery` selects (one column) due at `at`, unless a send in flight or a throttle pause keeps
 * them for later. A statement of its own, or a CTE of the statement that writes their notifications. Bots in id
 * order: the lock order of the state rows.
 */
export function markDueStatement(botIdsQuery: string, at: string): string {
  return `INSERT INTO bot_delivery_states (bot_id, next_due_at)
    SELECT due.id, ${at}::timestamptz FROM (${botIdsQuery}) AS due(id) ORDER BY due.id
    ON CONFLICT (bot_id) DO UPDATE SET next_due_at = LEAST(
      COALESCE(bot_delivery_states.next_due_at, 'infinity'),
      GREATEST(EXCLUDED.next_due_at, bot_delivery_states.rate_limited_until,
               -- the end of a send's lease (the database's clock) on the caller's clock
               EXCLUDED.next_due_at + (bot_delivery_states.busy_until - now())))`;
}

/** When a bot whose lease could not be taken is looked at again. */
const RECHECK_MS = 1_000;

/*
 * The statements of every dispatcher round, prepared once per connection (database/prepared-statements.ts).
 */
const LOCK_STATES = prepared(
  'delivery.lock-states',
  `SELECT bot_id FROM bot_delivery_states WHERE bot_id = ANY($1::integer[]) ORDER BY bot_id FOR UPDATE`,
);
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
/** How many notifications one statement of the expiry job gives up at most. */
const EXPIRE_BATCH = 1_000;
// Only notifications: it takes no state row, so it cannot deadlock with a round (state rows, then notifications),
// and SKIP LOCKED passes over a row a round holds. The waiting rows are found through idx_notifications_queue.
const EXPIRE = prepared(
  'delivery.expire',
  `UPDATE notifications n
   SET status = 'failed', last_error = 'expired', hint = $3, updated_at = $2,
       lease_owner = NULL, lease_expires_at = NULL, claim = NULL
   WHERE n.id IN (SELECT e.id FROM notifications e
                  WHERE e.status IN ${WAITING} AND e.queued_at <= $1 AND ${LEASE_FREE('e')}
                  ORDER BY e.id LIMIT $4 FOR UPDATE SKIP LOCKED)
   RETURNING n.id`,
);
const RENEW_BOTS = prepared(
  'delivery.renew-bots',
  `UPDATE bot_delivery_states s SET busy_until = ${LEASE_END('$3')}, next_due_at = $4
   FROM unnest($1::integer[], $2::bigint[]) AS c(bot_id, claim)
   WHERE s.bot_id = ANY($1::integer[]) AND s.bot_id = c.bot_id AND s.busy_claim = c.claim`,
);
const RENEW_NOTIFICATIONS = prepared(
  'delivery.renew-notifications',
  `UPDATE notifications n SET lease_expires_at = ${LEASE_END('$3')}
   FROM unnest($1::bigint[], $2::bigint[]) AS c(id, claim)
   WHERE n.id = ANY($1::bigint[]) AND n.id = c.id AND n.claim = c.claim AND n.status IN ${WAITING}
   RETURNING n.id`,
);

interface PickedBotRow {
  bot_id: number;
  /** DingTalk calls its send makes (the cluster's budget). */
  calls: number;
  rate_limited_until: Date | null;
  robot_key: string;
  app_key: string | null;
  app_paused_until: Date | null;
  /** The database's now (database-time.ts), in ms: the clock of the robots' windows and pauses. */
  db_now: number;
  enabled: boolean;
  rate_limit: number | null;
  version: string | null;
  head_id: string | null;
  earliest_due: Date | null;
  /** Some waiting notification belongs to another store than the bot's now. */
  moved: boolean;
  store_id: number | null;
  fresh_backlog: number;
}

interface BotStateChange {
  botId: number;
  nextDueAt: Date | null;
  /**
   * The notification to lease for the bot now; null: none. Leased, the bot is busy with its claim (for the round's
   * `leaseMs`).
   */
  leaseId: string | null;
}

/**
 * The notifications table as a queue, shared by every instance on the database. Nothing here waits for DingTalk.
 * Lease and due times are the injected clock's (passed in), so that tests can move them; except the ends of leases
 * (`lease_expires_at`, `busy_until`), which are the database's (LEASE_FREE), and a claim's number, which fences its
 * results (migration 1764002000000). The times several instances compare with each other, a robot's sends and
 * pauses, are the database's too (database/database-time.ts).
 *
 * Each bot has a row in `bot_delivery_states` that says when it next needs the dispatcher (`next_due_at`) and
 * whether a send is in flight (`busy_until`/`busy_owner`/`busy_claim`, a lease). Each DingTalk robot has a row in
 * `robot_rate_windows` (its sends of the last minute, a throttle pause), shared by all the bots that send through it;
 * an app's row holds a pause of all its bots. A claim takes the due bots through an index on `next_due_at` (SKIP
 * LOCKED: a bot another instance is claiming for is passed over), locks their robots (SKIP LOCKED again), leases each
 * bot's oldest due notification unless its robot's window or a pause holds it back, and sets the bot's next moment;
 * recording a result frees the bot and sets its next moment from what still waits. So the cost of a claim follows
 * the work due, never the number of bots, and one bot has one send in flight, oldest first.
 *
 * Lock order, to rule out deadlocks: a bot's state row before its notifications and before robot rows, bots in id
 * order and robots in key order where a statement waits for several (claims never wait: SKIP LOCKED); the cluster's
 * budget row (dingtalk_call_budget) last of all, in every transaction that takes it with others: the claim pays in
 * its last statement (LEASE_AND_APPLY), the test button after its robot row (reserveSend), and a round that records
 * an IP block writes it at its end and claims nothing (cycle).
 */
@Injectable()
export class DeliveryQueue {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly recording: RecordingRepository,
    private readonly windows: RateWindowRepository,
  ) {}

  /**
   * Whatever queues notifications calls this in the same transaction, after writing them: their bots are due at
   * `at`, unless a send in flight or a throttle pause keeps them for later. Returns the bots it marked: a bot that
   * was deleted meanwhile has no queue state any more (and a notification of it can no longer be sent).
   */
  async markDue(manager: EntityManager, botIds: readonly number[], at: Date): Promise<Set<number>> {
    if (botIds.length === 0) return new Set();
    const rows: Array<{ bot_id: number }> = await manager.query(
      `${markDueStatement('SELECT b.id FROM ding_talk_bots b WHERE b.id = ANY($1::integer[])', '$2')} RETURNING bot_id`,
      [botIds, at],
    );
    return new Set(rows.map((row) => row.bot_id));
  }

  /**
   * One round of the dispatcher, in one short transaction: record the finished sends, lease up to `maxClaims`
   * due notifications (one per bot), and say when the next one falls due.
   */
  async cycle(request: CycleRequest): Promise<CycleAnswer> {
    return this.dataSource.transaction(async (manager) => {
      const { held, block } = await this.recording.record(manager, request.results);
      // The cluster's budget row is taken last (the lock order, see the class): a round that records DingTalk's IP
      // block writes it after everything else it locks, and claims nothing (nothing may be sent into the block;
      // NEXT_DUE below sleeps until it ends). Written before the claim, it was held while the claim's LOCK_ROBOTS
      // waited for a robot key another instance had inserted uncommitted, while that instance waited for the
      // budget row in LEASE_AND_APPLY: a deadlock.
      const claim = block ? null : await this.claim(manager, request);
      if (block) await this.windows.blockCluster(manager, block);
      if (claim) return { held, claimed: claim.claimed, nextDueAt: claim.nextDueAt?.getTime() ?? null };
      const [{ due }]: Array<{ due: Date | null }> = await manager.query(NEXT_DUE);
      return { held, claimed: [], nextDueAt: due?.getTime() ?? null };
    });
  }

  /**
   * Extends the leases of sends still in flight by `leaseMs` of the database's clock (a slow stream send with
   * token re-fetches may outlast one lease); `now` is the caller's clock, for the bots' next due moment. Returns the
   * ids whose claim still holds the row: a send missing from it was taken over or resent, and should stop.
   */
  async renewLeases(
    sends: readonly ClaimedNotification[],
    leaseMs: number,
    now: number,
  ): Promise<Set<string>> {
    if (sends.length === 0) return new Set();
    return this.dataSource.transaction(async (manager) => {
      const bots = [...new Map(sends.map((send) => [send.botId, send.claim])).entries()].sort(
        ([a], [b]) => a - b,
      );
      await manager.query(LOCK_STATES, [bots.map(([botId]) => botId)]);
      await manager.query(RENEW_BOTS, [
        bots.map(([botId]) => botId),
        bots.map(([, claim]) => claim),
        leaseMs,
        new Date(now + leaseMs),
      ]);
      const rows: Array<{ id: string }> = rowsOf(
        await manager.query(RENEW_NOTIFICATIONS, [
          sends.map((send) => send.id),
          sends.map((send) => send.claim),
          leaseMs,
        ]),
      );
      return new Set(rows.map((row) => String(row.id)));
    });
  }

  /**
   * The safety net, run now and then: skip what waits for a disabled, deleted or moved bot, and make due any bot whose
   * waiting notifications have no due moment (rows queued by something that did not call markDue).
   */
  async sweep(now: number): Promise<void> {
    const at = new Date(now);
    await this.skipUndeliverable(this.dataSource.manager, at, null);
    await this.dataSource.query(
      `INSERT INTO bot_delivery_states (bot_id, next_due_at)
       SELECT n.bot_id, $1::timestamptz FROM notifications n
       WHERE n.status IN ${WAITING} AND EXISTS (SELECT 1 FROM ding_talk_bots b WHERE b.id = n.bot_id)
       GROUP BY n.bot_id ORDER BY n.bot_id
       ON CONFLICT (bot_id) DO UPDATE SET next_due_at = EXCLUDED.next_due_at
       WHERE bot_delivery_states.next_due_at IS NULL`,
      [at],
    );
  }

  /**
   * A bot was disabled, deleted or moved to another store: what waits for it (of its old store) is skipped now
   * rather than at its next claim.
   */
  async skipWaitingOf(botId: number, now: number): Promise<void> {
    await this.skipUndeliverable(this.dataSource.manager, new Date(now), [botId]);
  }

  /**
   * Gives back claims whose send never started (shutdown; a bot deleted meanwhile), so that the rows are due
   * again at once for whoever runs. Only where the claim still holds the row. Returns how many were given back.
   */
  async releaseClaims(claims: readonly ClaimedNotification[], now: number): Promise<number> {
    if (claims.length === 0) return 0;
    return this.dataSource.transaction(async (manager) => {
      const bots = [...new Map(claims.map((claimed) => [claimed.botId, claimed.claim])).entries()].sort(
        ([a], [b]) => a - b,
      );
      await manager.query(LOCK_STATES, [bots.map(([botId]) => botId)]);
      await manager.query(
        `UPDATE bot_delivery_states s
         SET busy_until = NULL, busy_owner = NULL, busy_claim = NULL, next_due_at = $3
         FROM unnest($1::integer[], $2::bigint[]) AS c(bot_id, claim)
         WHERE s.bot_id = ANY($1::integer[]) AND s.bot_id = c.bot_id AND s.busy_claim = c.claim`,
        [bots.map(([botId]) => botId), bots.map(([, claim]) => claim), new Date(now)],
      );
      return rowsOf(
        await manager.query(
          `UPDATE notifications n SET lease_owner = NULL, lease_expires_at = NULL, claim = NULL
           FROM unnest($1::bigint[], $2::bigint[]) AS c(id, claim)
           WHERE n.id = ANY($1::bigint[]) AND n.id = c.id AND n.claim = c.claim AND n.status IN ${WAITING}
           RETURNING n.id`,
          [claims.map((claimed) => claimed.id), claims.map((claimed) => claimed.claim)],
        ),
      ).length;
    });
  }

  /**
   * With the embedded database only one process can run (DATA_DIR is locked), so every lease found at start-up
   * belongs to a process that died: they need not run out first.
   */
  async releaseAllLeases(now: number): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE bot_delivery_states SET busy_until = NULL, busy_owner = NULL, busy_claim = NULL, next_due_at = $1
         WHERE busy_owner IS NOT NULL`,
        [new Date(now)],
      );
      return rowsOf(
        await manager.query(
          `UPDATE notifications SET lease_owner = NULL, lease_expires_at = NULL, claim = NULL
           WHERE lease_owner IS NOT NULL AND status IN ${WAITING} RETURNING id`,
        ),
      ).length;
    });
  }

  async botState(botId: number): Promise<BotDeliveryState> {
    const [row]: Array<{
      last_delivery_at: Date | null;
      last_delivery_status: string | null;
      rate_limited_until: Date | null;
      pause_hint: string | null;
      pending: string;
    }> = await this.dataSource.query(
      `SELECT s.last_delivery_at, s.last_delivery_status,
              GREATEST(s.rate_limited_until, robot.paused_until, app.paused_until,
                       CASE WHEN c.blocked_until > ${databaseNow('$2')} THEN c.blocked_until END) AS rate_limited_until,
              CASE WHEN c.blocked_until > ${databaseNow('$2')} THEN c.block_hint
                   WHEN app.paused_until > ${databaseNow('$2')} THEN app.pause_hint
                   WHEN robot.paused_until > ${databaseNow('$2')} THEN robot.pause_hint END AS pause_hint,
              (SELECT count(*) FROM notifications n WHERE n.bot_id = $1 AND n.status IN ${WAITING}) AS pending
       FROM (SELECT $1::integer AS bot_id) bot
       LEFT JOIN bot_delivery_states s ON s.bot_id = bot.bot_id
       LEFT JOIN ding_talk_bots b ON b.id = bot.bot_id
       LEFT JOIN robot_rate_windows robot ON robot.robot_key = COALESCE(b.robot_key, 'bot:' || b.id)
       LEFT JOIN robot_rate_windows app ON app.robot_key = b.app_key
       LEFT JOIN dingtalk_call_budget c ON c.id = 1`,
      [botId, this.clock.databaseNowOverride()],
    );
    return {
      lastDeliveryAt: row.last_delivery_at,
      lastDeliveryStatus: row.last_delivery_status,
      pending: Number(row.pending),
      rateLimitedUntil: row.rate_limited_until,
      pauseHint: row.pause_hint,
    };
  }

  /**
   * Waiting notifications and how long the oldest has waited since it was queued (written or resent, `queued_at`,
   * on the caller's clock `now`): never much more than DELIVERY_MAX_AGE_MS, past which it expires.
   */
  async backlog(now: number): Promise<{ pending: number; oldestSeconds: number }> {
    const [row]: Array<{ pending: string; oldest: string | null }> = await this.dataSource.query(
      `SELECT count(*) AS pending, EXTRACT(EPOCH FROM $1::timestamptz - min(queued_at)) AS oldest
       FROM notifications WHERE status IN ${WAITING}`,
      [new Date(now)],
    );
    return {
      pending: Number(row.pending),
      oldestSeconds: row.oldest === null ? 0 : Math.max(0, Number(row.oldest)),
    };
  }

  /**
   * Gives up the waiting notifications queued at or before `queuedBefore` (the caller's clock): `failed`, reason
   * `expired`, with a hint. Never one whose send is in flight (its lease holds). Batches of EXPIRE_BATCH, each its
   * own short statement; rows another transaction holds are left for the next run. Returns how many expired.
   */
  async expire(queuedBefore: number, now: number, hint: string): Promise<number> {
    let expired = 0;
    for (;;) {
      const rows = rowsOf(
        await this.dataSource.query(EXPIRE, [new Date(queuedBefore), new Date(now), hint, EXPIRE_BATCH]),
      );
      expired += rows.length;
      if (rows.length < EXPIRE_BATCH) return expired;
    }
  }

  /**
   * Leases due notifications; null when no bot was due (nothing written). Else the claims, and when the
   * dispatcher is next needed (the claim's last statement reads it, with the claim's own changes).
   */
  private async claim(
    manager: EntityManager,
    request: CycleRequest,
  ): Promise<{ claimed: ClaimedNotification[]; nextDueAt: Date | null } | null> {
    const { owner, maxClaims, now, leaseMs, busyBotIds } = request;
    if (maxClaims <= 0) return null;
    const at = new Date(now);
    const margin = this.config.delivery.rateWindowMarginMs;
    // The due bots, locked. Their messages are read by the next statement, which sees every commit made before
    // these locks were granted (READ COMMITTED takes a snapshot per statement).
    const rate = this.config.dingtalk.callBudgetPerSecond;
    const picked: Array<{ bot_id: number; budget: number }> = await manager.query(PICK_DUE_BOTS, [
      at,
      maxClaims,
      [...busyBotIds],
      rate,
      this.clock.databaseNowOverride(),
    ]);
    if (picked.length === 0) return null;
    // The cluster's DingTalk calls left: as many bots were picked at most; a stream bot's send may take two.
    let budget = Number(picked[0].budget);
    let spent = 0;
    const bots: PickedBotRow[] = await manager.query(DUE_BOTS, [
      picked.map((row) => row.bot_id),
      at,
      this.clock.databaseNowOverride(),
    ]);

    const changes = new Map<number, BotStateChange>();
    const later = (botId: number, nextDueAt: Date | null) =>
      changes.set(botId, { botId, nextDueAt, leaseId: null });
    const undeliverable: number[] = [];
    const candidates: PickedBotRow[] = [];
    for (const bot of bots) {
      if (!bot.enabled || bot.rate_limit === null || bot.version === null || bot.store_id === null) {
        undeliverable.push(bot.bot_id);
        later(bot.bot_id, null);
        continue;
      }
      if (bot.moved) undeliverable.push(bot.bot_id);
      if (bot.head_id === null) {
        later(bot.bot_id, bot.earliest_due);
        continue;
      }
      // The bot's own pause is on the application's clock, its app's on the database's (database-time.ts).
      const botPause = bot.rate_limited_until?.getTime() ?? 0;
      const appPause = bot.app_paused_until?.getTime() ?? 0;
      if (botPause > now || appPause > Number(bot.db_now)) {
        later(bot.bot_id, new Date(Math.max(botPause, appPause, bot.earliest_due?.getTime() ?? 0)));
        continue;
      }
      candidates.push(bot);
    }
    if (undeliverable.length > 0) await this.skipUndeliverable(manager, at, undeliverable);

    // The candidates' robots, locked (or skipped when another claim holds them): two bots of one robot, claimed by
    // two instances at once, must not both find room for the 20th message of the minute.
    const robots =
      candidates.length > 0
        ? await this.windows.lockRobots(manager, [...new Set(candidates.map((bot) => bot.robot_key))])
        : new Map<string, RobotWindow>();
    const windows = new Map<string, number[]>();
    /** Each leased bot's entry in its robot's window (ClaimedNotification.windowStamp). */
    const stamps = new Map<number, number>();
    const sentThrough = new Set<string>();
    const toLease = new Map<string, PickedBotRow>();
    for (const bot of candidates) {
      const robot = robots.get(bot.robot_key);
      const dbNow = Number(bot.db_now);
      if (!robot) {
        changes.set(bot.bot_id, recheck(bot.bot_id, now));
        continue;
      }
      const robotPause = robot.paused_until?.getTime() ?? 0;
      if (robotPause > dbNow) {
        later(bot.bot_id, new Date(Math.max(robotPause, bot.earliest_due?.getTime() ?? 0)));
        continue;
      }
      const recent =
        windows.get(bot.robot_key) ?? windowSends(robot.recent_sends, dbNow - RATE_WINDOW_MS - margin);
      windows.set(bot.robot_key, recent);
      if (recent.length >= bot.rate_limit!) {
        later(bot.bot_id, new Date(windowFreeAt(recent, bot.rate_limit!, margin)));
        continue;
      }
      if (bot.calls > budget) {
        changes.set(bot.bot_id, recheck(bot.bot_id, now, Math.ceil(((bot.calls - budget) * 1000) / rate)));
        continue;
      }
      budget -= bot.calls;
      spent += bot.calls;
      // Counted from the claim, on the database's clock, until the send's result is recorded: then from the
      // recording, which comes after the send reached DingTalk (ROBOTS_AFTER_SENDS). The margin covers the way to
      // DingTalk of a send still in flight, as seen by another bot of the same robot.
      recent.push(dbNow);
      stamps.set(bot.bot_id, dbNow);
      sentThrough.add(bot.robot_key);
      // A backlog longer than a minute's worth of the bot's rate goes out as one digest.
      const digestId =
        bot.fresh_backlog > bot.rate_limit!
          ? await this.mergeBacklog(manager, bot.bot_id, bot.store_id!, bot.rate_limit!, at)
          : null;
      toLease.set(digestId ?? String(bot.head_id), bot);
    }
    // When the lease ends on this instance's clock: the bot's next due moment should its send never be recorded.
    const leaseUntil = new Date(now + leaseMs);
    for (const [notificationId, bot] of toLease) {
      changes.set(bot.bot_id, { botId: bot.bot_id, nextDueAt: leaseUntil, leaseId: notificationId });
    }
    const taken = new Map([...sentThrough].map((key) => [key, windows.get(key)!]));
    const rows: Array<
      Record<string, unknown> & { id: string | null; claim: string | null; next_due: Date | null }
    > = await manager.query(LEASE_AND_APPLY, [
      [...changes.values()].map((c) => c.botId),
      [...changes.values()].map((c) => c.nextDueAt),
      [...changes.values()].map((c) => c.leaseId),
      owner,
      [...taken.keys()],
      [...taken.values()].map((recent) => JSON.stringify(recent)),
      leaseMs,
      spent,
      rate,
      this.clock.databaseNowOverride(),
      [...toLease.keys()],
      // Not leased after all (should not happen under the bot's lock): looked at again shortly rather than never.
      new Date(now + RECHECK_MS),
    ]);
    const claimed: ClaimedNotification[] = [];
    for (const row of rows) {
      if (row.id === null) continue; // None leased: the one row says when the next is due.
      const bot = toLease.get(String(row.id))!;
      claimed.push({
        ...toClaimed(row),
        botVersion: bot.version!,
        claimedAt: now,
        windowStamp: stamps.get(bot.bot_id)!,
        claim: String(row.claim),
        robotKey: bot.robot_key,
        appKey: bot.app_key,
      });
    }
    claimed.sort((a, b) => Number(a.id) - Number(b.id));
    return { claimed, nextDueAt: rows[0].next_due };
  }

  /**
   * When a bot's backlog would wait longer than a minute (more waiting menu-report notifications than it may
   * send in one), they are merged into one markdown digest, which is returned to be sent now. The merged rows
   * stay in the log as `merged`, naming the digest. Retries and half-sent rows are left alone (FOLDABLE): they
   * already went out once, to some target at least.
   */
  private async mergeBacklog(
    manager: EntityManager,
    botId: number,
    storeId: number,
    rateLimit: number,
    at: Date,
  ): Promise<string | null> {
    const waiting: Array<{
      id: string;
      title: string;
      menu_report_id: number | null;
      store_id: number;
      at_mobiles: string[];
      at_user_ids: string[];
      at_all: boolean;
    }> = await manager.query(
      `SELECT n.id, n.title, n.menu_report_id, n.store_id, n.at_mobiles, n.at_user_ids, n.at_all
       FROM notifications n
       WHERE n.bot_id = $1 AND ${FOLDABLE('n')} AND n.store_id = $3 AND n.next_attempt_at <= $2
         AND ${LEASE_FREE('n')}
       ORDER BY n.id LIMIT 1000
       -- Locked until the digest is written: a skip (the bot disabled, deleted or moved) committed meanwhile would
       -- otherwise be overwritten as merged. One committed before the lock was granted drops out here (READ
       -- COMMITTED checks the row again); one that comes later waits and finds the rows merged.
       FOR UPDATE OF n`,
      [botId, at, storeId],
    );
    if (waiting.length <= rateLimit) return null;
    const first = waiting[0];
    // Within what every channel of the bot takes (a stream bot's group: 15,000 bytes of msgParam); the reports that
    // do not fit wait for the next digest.
    const [bot]: Array<{
      bot_type: SizedBot['botType'];
      user_ids: string[];
      open_conversation_id: string | null;
      agent_id: string | null;
    }> = await manager.query(
      `SELECT bot_type, user_ids, open_conversation_id, agent_id FROM ding_talk_bots WHERE id = $1`,
      [botId],
    );
    if (!bot) return null;
    const sized: SizedBot = {
      botType: bot.bot_type,
      userIds: bot.user_ids,
      openConversationId: bot.open_conversation_id,
      agentId: bot.agent_id,
    };
    const envelope = {
      msgType: 'markdown' as const,
      atMobiles: first.at_mobiles,
      atUserIds: first.at_user_ids,
      atAll: first.at_all,
    };
    const digest = buildDigest(
      storeId,
      waiting.map((row) => ({ id: String(row.id), title: row.title, menuReportId: row.menu_report_id })),
      textBudget(sized, { ...envelope, title: WIDEST_DIGEST_TITLE, text: '' }),
    );
    if (digest.included.length <= 1) return null;
    const [created]: Array<{ id: string }> = await manager.query(
      // Queued when the oldest report it folds was: folding does not make the reports younger (DELIVERY_MAX_AGE_MS).
      `INSERT INTO notifications (bot_id, store_id, kind, status, msg_type, title, content, at_mobiles, at_user_ids,
                                  at_all, next_attempt_at, created_at, updated_at, queued_at)
       VALUES ($1, $2, 'digest', 'pending', 'markdown', $3, $4, $5, $6, $7, $8, now(), now(),
               (SELECT min(queued_at) FROM notifications WHERE id = ANY($9::bigint[])))
       RETURNING id`,
      [
        botId,
        first.store_id,
        digest.title.slice(0, 200),
        digest.content,
        JSON.stringify(first.at_mobiles),
        JSON.stringify(first.at_user_ids),
        first.at_all,
        at,
        digest.included.map((item) => item.id),
      ],
    );
    const merged = rowsOf(
      await manager.query(
        // The claim of a lease that ran out goes with the fold: a late result of it must match nothing.
        `UPDATE notifications
         SET status = 'merged', merged_into = $1, updated_at = $3, lease_owner = NULL, lease_expires_at = NULL,
             claim = NULL
         WHERE id = ANY($2::bigint[]) AND status = 'pending'
         RETURNING id`,
        [created.id, digest.included.map((item) => item.id), at],
      ),
    );
    if (merged.length !== digest.included.length) {
      // Cannot happen while the rows are locked; should it, the round is rolled back rather than a digest sent
      // that carries a report which is not merged into it (it would go twice) or was skipped.
      throw new Error(
        `Digest of bot ${botId}: ${merged.length} of ${digest.included.length} reports could be merged`,
      );
    }
    return String(created.id);
  }

  /**
   * Nothing may reach a disabled or deleted bot, nor a bot moved to another store than the notification's (its new
   * group is not the old store's): such waiting notifications are skipped, with why.
   */
  private async skipUndeliverable(manager: EntityManager, at: Date, botIds: number[] | null): Promise<void> {
    // The rows are locked in id order, as a digest's fold locks them: the two never wait for each other in a cycle.
    await manager.query(
      `WITH doomed AS (
         SELECT n.id FROM notifications n
         WHERE n.status IN ${WAITING} AND ${LEASE_FREE('n')}
           AND ($3::integer[] IS NULL OR n.bot_id = ANY($3::integer[]))
           AND NOT EXISTS (SELECT 1 FROM ding_talk_bots b
                           WHERE b.id = n.bot_id AND b.is_enabled AND b.store_id = n.store_id)
         ORDER BY n.id
         FOR UPDATE OF n)
       , skipped AS (
         UPDATE notifications n
         SET status = 'skipped', lease_owner = NULL, lease_expires_at = NULL, claim = NULL, updated_at = $1,
             hint = CASE WHEN EXISTS (SELECT 1 FROM ding_talk_bots b WHERE b.id = n.bot_id AND b.is_enabled)
                         THEN $4 ELSE $2 END
         FROM doomed WHERE n.id = doomed.id
         RETURNING n.id, n.kind)
       -- The reports folded into a skipped digest did not arrive either: said on them, as for a failed digest
       -- (noteDigestOutcomes), or they would sit as merged, looking delivered.
       UPDATE notifications m
       SET hint = 'Folded into digest ' || d.id || ', which was skipped (see its hint): this report did not arrive. '
                  || 'Resend notification ' || d.id || ' (or this one) once the bot can send again.'
       FROM skipped d
       WHERE d.kind = 'digest' AND m.merged_into = d.id AND m.status = 'merged'`,
      [at, SKIPPED_HINT, botIds, MOVED_HINT],
    );
  }
}

function recheck(botId: number, now: number, afterMs = RECHECK_MS): BotStateChange {
  return { botId, nextDueAt: new Date(now + afterMs), leaseId: null };
}

function toClaimed(
  row: Record<string, unknown>,
): Omit<ClaimedNotification, 'claimedAt' | 'windowStamp' | 'botVersion' | 'claim' | 'robotKey' | 'appKey'> {
  return {
    id: String(row.id),
    botId: Number(row.bot_id),
    storeId: Number(row.store_id),
    kind: row.kind as NotificationKind,
    msgType: row.msg_type as MsgType,
    title: row.title as string,
    content: row.content as string,
    atMobiles: row.at_mobiles as string[],
    atUserIds: row.at_user_ids as string[],
    atAll: row.at_all as boolean,
    attempts: Number(row.attempts),
    remainingTargets: (row.remaining_targets as DeliveryTarget[] | null) ?? null,
    recipients: (row.recipients as RecipientOutcome[] | null) ?? null,
  };
}
