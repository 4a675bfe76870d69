import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../../../common/clock';
import { AppConfig } from '../../../config/app-config';
import { databaseNow, databaseNowMs } from '../../../database/database-time';
import { prepared } from '../../../database/prepared-statements';
import { RATE_WINDOW_MS, windowFreeAt, windowSends } from '../rate-window';
import { PauseVerdict } from '../retry-policy';
import { ClusterBlock } from './claimed-notification';

/*
 * DingTalk's limits as rows: each robot's sends of the last minute and its throttle pause (robot_rate_windows, one
 * row per robot, shared by every bot that sends through it; an app's row holds a pause of all its bots), and the
 * cluster's budget of DingTalk calls with DingTalk's IP block (dingtalk_call_budget, one row). Their SQL is here:
 * the statements of their own, and the parts (CTEs, subqueries) that the claim's and the recording's statements
 * take in, so that a round stays the round trips it is. Times are the database's (database-time.ts), `override`:
 * Clock.databaseNowOverride.
 */

/**
 * The cluster's DingTalk calls left now (docs/dingtalk/README.md, "Call limits"): a token bucket of `$r` calls a
 * second, one second deep, refilled by the database's clock (`$o`: Clock.databaseNowOverride); none while DingTalk
 * blocks the IP. Read without a lock: two instances claiming at once may both spend it, and the debt is paid back
 * before anyone sends again, so the rate over any stretch of time stays within the budget plus one bucket per
 * instance claiming at that moment.
 */
export const BUDGET_LEFT = (rate: string, override: string) =>
  `(SELECT CASE WHEN COALESCE(blocked_until > ${databaseNow(override)}, false) THEN 0
                ELSE floor(LEAST(${rate}::double precision,
                                 tokens + ${rate}::double precision
                                          * GREATEST(0, ${databaseNowMs(override)} - refilled_at_ms) / 1000))
           END
    FROM dingtalk_call_budget WHERE id = 1)`;

/** Until when DingTalk blocks the cluster's IP (null: no block), as a subquery. */
export const CLUSTER_BLOCKED_UNTIL = `(SELECT blocked_until FROM dingtalk_call_budget WHERE id = 1)`;

/**
 * A claim's part (a CTE named `robots`): the windows of the robots it sends through, as it counted them with its
 * sends (`keys` and `windows`, JSON arrays, side by side). The rows are the ones LOCK_ROBOTS locked.
 */
export const TAKE_WINDOWS = (keys: string, windows: string) => `robots AS (
     UPDATE robot_rate_windows w SET recent_sends = c.recent_sends::jsonb
     FROM unnest(${keys}::text[], ${windows}::text[]) AS c(robot_key, recent_sends)
     WHERE w.robot_key = ANY(${keys}::text[]) AND w.robot_key = c.robot_key)`;

/**
 * A claim's part (a CTE named `budget`): the calls its sends will make (`spent`) taken from the cluster's budget,
 * refilled first at `rate` a second (BUDGET_LEFT). In the claim's last statement: the budget row is the last lock of
 * a round (the lock order, see DeliveryQueue).
 */
export const SPEND_BUDGET = (spent: string, rate: string, override: string) => `budget AS (
     UPDATE dingtalk_call_budget
     SET tokens = LEAST(${rate}::double precision,
                        tokens + ${rate}::double precision
                                 * GREATEST(0, ${databaseNowMs(override)} - refilled_at_ms) / 1000) - ${spent},
         refilled_at_ms = GREATEST(refilled_at_ms, ${databaseNowMs(override)})
     WHERE id = 1 AND ${spent}::integer > 0)`;

/**
 * The recording's part (a CTE named `robots`, after one named `moves`: each recorded send's robot and claim stamp,
 * numbered among equal ones): what the recorded sends did to their robots, one row each, in key order (the lock
 * order of robot rows, after the bots' state rows that the recording locked first): a throttle answer pauses the
 * robot or its app until the database's now plus the pause (`$8` ms, null: none; never shortening a longer one:
 * PAUSE_ROBOTS' rule), and each send's entry in its robot's window moves from its claim's stamp to the database's
 * clock now. The claim stamped it before the send left (credentials, signing, a new connection can take seconds
 * under load), so two sends could reach DingTalk less than a minute apart while their claims were a minute apart,
 * and DingTalk throttles the robot for 10 minutes (410100); the recording comes after the send reached DingTalk, so
 * from then on the window counts the send no earlier than it arrived. An entry is found by its value (a robot shared
 * by two bots may hold one value twice, and whichever of equal values moves, the window is the same); one gone from
 * the window (past its minute) is added back at now. Parameters: `$7` robot keys, `$8` pauses (ms), `$10` hints,
 * `$9` Clock.databaseNowOverride.
 */
export const ROBOTS_AFTER_SENDS = `robots AS (
     INSERT INTO robot_rate_windows AS w (robot_key, paused_until, pause_hint, recent_sends)
     SELECT p.robot_key, ${databaseNow('$9')} + p.ms * interval '1 millisecond', p.hint,
            (SELECT COALESCE(jsonb_agg(${databaseNowMs('$9')}), '[]'::jsonb) FROM moves m
             WHERE m.robot_key = p.robot_key)
     FROM unnest($7::text[], $8::double precision[], $10::text[]) AS p(robot_key, ms, hint)
     ORDER BY p.robot_key
     ON CONFLICT (robot_key) DO UPDATE
     SET paused_until = GREATEST(w.paused_until, EXCLUDED.paused_until),
         pause_hint = CASE WHEN EXCLUDED.paused_until IS NULL OR w.paused_until > EXCLUDED.paused_until
                           THEN w.pause_hint ELSE EXCLUDED.pause_hint END,
         recent_sends = (
           SELECT COALESCE(jsonb_agg(kept.at ORDER BY kept.at), '[]'::jsonb) FROM (
             SELECT e.at FROM (
               SELECT sent.at, row_number() OVER (PARTITION BY sent.at) AS nth
               FROM (SELECT value::double precision AS at FROM jsonb_array_elements_text(w.recent_sends)) sent) e
             WHERE NOT EXISTS (SELECT 1 FROM moves m
                               WHERE m.robot_key = w.robot_key AND m.stamp = e.at AND m.nth = e.nth)
             UNION ALL
             SELECT ${databaseNowMs('$9')} FROM moves m WHERE m.robot_key = w.robot_key) kept))`;

/**
 * The robots of the due bots, locked for this claim: the ones another instance is claiming for are skipped (its
 * bots are looked at again shortly), never waited for. A robot seen for the first time gets its row here (an
 * insert of the same key by another claim is waited for: keys in order, so two claims cannot wait for each other).
 */
const LOCK_ROBOTS = prepared(
  'delivery.lock-robots',
  `WITH created AS (
     INSERT INTO robot_rate_windows (robot_key)
     SELECT DISTINCT k FROM unnest($1::text[]) AS k ORDER BY k
     ON CONFLICT (robot_key) DO NOTHING
     RETURNING robot_key, recent_sends, paused_until),
   locked AS (
     SELECT robot_key, recent_sends, paused_until FROM robot_rate_windows
     WHERE robot_key = ANY($1::text[]) ORDER BY robot_key FOR UPDATE SKIP LOCKED)
   SELECT * FROM locked UNION ALL SELECT * FROM created`,
);
/** DingTalk blocked the IP: no instance sends before the block ends (never shortening a longer one). */
const BLOCK_CLUSTER = prepared(
  'delivery.block-cluster',
  `UPDATE dingtalk_call_budget
   SET blocked_until = GREATEST(blocked_until, ${databaseNow('$2')} + $1::double precision * interval '1 millisecond'),
       block_hint = $3
   WHERE id = 1`,
);
/**
 * The robot and app a bot sends through, and its limit; the bot's row locked FOR KEY SHARE (what the foreign key of
 * the notification written after takes), so that a bot being deleted is waited for here, before anything else is
 * locked, and is then not found.
 */
const ROBOT_OF_BOT = `SELECT COALESCE(robot_key, 'bot:' || id) AS robot_key, app_key, rate_limit_per_minute AS rate_limit
         FROM ding_talk_bots WHERE id = $1 FOR KEY SHARE`;
const ENSURE_ROBOT = `INSERT INTO robot_rate_windows (robot_key) VALUES ($1) ON CONFLICT (robot_key) DO NOTHING`;
const LOCK_ROBOT_WITH_APP = (
  override: string,
) => `SELECT w.recent_sends, w.paused_until, app.paused_until AS app_paused_until, ${databaseNowMs(override)} AS db_now
         FROM robot_rate_windows w LEFT JOIN robot_rate_windows app ON app.robot_key = $2
         WHERE w.robot_key = $1 FOR UPDATE OF w`;
const SPEND_ONE_CALL = `UPDATE dingtalk_call_budget SET tokens = tokens - 1 WHERE id = 1`;
/** DingTalk's IP block, read without a lock: only a granted send takes the budget row (SPEND_ONE_CALL). */
const CLUSTER_BLOCK = `SELECT blocked_until FROM dingtalk_call_budget WHERE id = 1`;
const SET_WINDOW = `UPDATE robot_rate_windows SET recent_sends = $2::jsonb WHERE robot_key = $1`;

/** A robot's row as a claim locked it. */
export interface RobotWindow {
  robot_key: string;
  /** Its sends of the last minute (and older ones not yet dropped), ms on the database's clock. */
  recent_sends: number[];
  paused_until: Date | null;
}

/**
 * A send that does not wait in the queue (the test button) asks for a place in its robot's rate window first.
 * Granted: the robot and app it sends through, and its entry in the robot's window (ClaimedNotification.windowStamp).
 */
export type SendReservation =
  | { granted: true; robotKey: string; appKey: string | null; stamp: number }
  | { granted: false; reason: 'rate_window' | 'throttled' | 'ip_blocked'; retryAt: number }
  | { granted: false; reason: 'no_bot' };

/** Whose row a pause goes to: the app's (a quota), else the robot's. */
export function pauseKey(pause: PauseVerdict, robotKey: string, appKey: string | null): string {
  return pause.scope === 'app' && appKey !== null ? appKey : robotKey;
}

/** The robots' rate windows and pauses, and the cluster's call budget and IP block. */
@Injectable()
export class RateWindowRepository {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * The robots `keys`, locked for the claim in `manager`'s transaction (rows made for robots seen for the first
   * time): by key. A robot another claim holds is missing from the answer: its bots are looked at again shortly.
   */
  async lockRobots(manager: EntityManager, keys: readonly string[]): Promise<Map<string, RobotWindow>> {
    const rows: RobotWindow[] = await manager.query(LOCK_ROBOTS, [keys]);
    return new Map(rows.map((row) => [row.robot_key, row]));
  }

  /** DingTalk blocked the IP: written last in the round that recorded the answer (the budget row is the last lock). */
  async blockCluster(manager: EntityManager, block: ClusterBlock): Promise<void> {
    await manager.query(BLOCK_CLUSTER, [block.ms, this.clock.databaseNowOverride(), block.hint]);
  }

  /**
   * In `manager`'s transaction, which then writes the send's notification (the test button): a send that does not
   * wait in the queue still counts in its robot's rate window (shared with every bot of the robot) and waits out a
   * throttle pause of the robot or its app, or DingTalk would ban the robot for 10 minutes. Granted: the send is
   * counted from now (the database's clock) and its DingTalk call spent from the cluster's budget. `retryAt` is on
   * that clock too. The robot's row stays locked until the transaction ends, the budget row after it (the lock order,
   * see DeliveryQueue). The bot's row is locked first (FOR KEY SHARE): the caller's notification of it, written after,
   * then waits for nothing while the cluster-wide budget row is held, and a bot deleted meanwhile is `no_bot` rather
   * than a foreign key's refusal.
   */
  async reserveSend(manager: EntityManager, botId: number): Promise<SendReservation> {
    const margin = this.config.delivery.rateWindowMarginMs;
    const [bot]: Array<{ robot_key: string; app_key: string | null; rate_limit: number }> =
      await manager.query(ROBOT_OF_BOT, [botId]);
    if (!bot) return { granted: false, reason: 'no_bot' };
    await manager.query(ENSURE_ROBOT, [bot.robot_key]);
    const [robot]: Array<{
      recent_sends: number[];
      paused_until: Date | null;
      app_paused_until: Date | null;
      db_now: number;
    }> = await manager.query(LOCK_ROBOT_WITH_APP('$3'), [
      bot.robot_key,
      bot.app_key,
      this.clock.databaseNowOverride(),
    ]);
    const dbNow = Number(robot.db_now);
    const pausedUntil = Math.max(robot.paused_until?.getTime() ?? 0, robot.app_paused_until?.getTime() ?? 0);
    if (pausedUntil > dbNow) return { granted: false, reason: 'throttled', retryAt: pausedUntil };
    const [cluster]: Array<{ blocked_until: Date | null }> = await manager.query(CLUSTER_BLOCK);
    const blockedUntil = cluster?.blocked_until?.getTime() ?? 0;
    if (blockedUntil > dbNow) return { granted: false, reason: 'ip_blocked', retryAt: blockedUntil };
    const recent = windowSends(robot.recent_sends, dbNow - RATE_WINDOW_MS - margin);
    if (recent.length >= bot.rate_limit) {
      return { granted: false, reason: 'rate_window', retryAt: windowFreeAt(recent, bot.rate_limit, margin) };
    }
    await manager.query(SET_WINDOW, [bot.robot_key, JSON.stringify([...recent, dbNow])]);
    // Only a granted send is charged (a refused one makes no call): one DingTalk call like any other, from the
    // cluster's budget, whose row is the last this transaction locks (the lock order, see DeliveryQueue).
    await manager.query(SPEND_ONE_CALL);
    return { granted: true, robotKey: bot.robot_key, appKey: bot.app_key, stamp: dbNow };
  }
}
