import { RATE_WINDOW_MS, windowFreeAt, windowSends } from '../rate-window';
import { RobotWindow } from './rate-window.repository';

/** A due bot as the claim reads it (DUE_BOTS in claim.repository.ts), with what decides whether it sends now. */
export interface DueBot {
  bot_id: number;
  /** DingTalk calls its send makes (the cluster's budget). */
  calls: number;
  /** Its send posts to its app's group API (a stream bot with a group). */
  group_send: boolean;
  /** The users its send addresses with a work notification (a stream bot's user_ids); 0: none. */
  recipients: number;
  rate_limited_until: Date | null;
  robot_key: string;
  app_key: string | null;
  app_paused_until: Date | null;
  /** The database's now (database-time.ts), in ms: the clock of the robots' windows and pauses. */
  db_now: number;
  enabled: boolean;
  rate_limit: number | null;
  version: string | null;
  /** Its oldest notification due now and in turn; null: none. */
  head_id: string | null;
  earliest_due: Date | null;
  /** Some waiting notification belongs to another store than the bot's now. */
  moved: boolean;
  store_id: number | null;
  /** Its waiting menu reports a digest may fold, counted up to one more than its rate. */
  fresh_backlog: number;
}

/** A bot that can send: enabled, with its limit, version and store. */
export type SendingBot = DueBot & { rate_limit: number; version: string; store_id: number; head_id: string };

/** What a claim writes on a due bot's state row. */
export interface BotStateChange {
  botId: number;
  nextDueAt: Date | null;
  /**
   * The notification to lease for the bot now; null: none. Leased, the bot is busy with its claim (for the round's
   * `leaseMs`).
   */
  leaseId: string | null;
}

/** When a bot whose lease could not be taken is looked at again. */
export const RECHECK_MS = 1_000;

/** The bot looked at again `afterMs` from `now` (the application's clock). */
export function recheck(botId: number, now: number, afterMs = RECHECK_MS): BotStateChange {
  return { botId, nextDueAt: new Date(now + afterMs), leaseId: null };
}

function later(botId: number, nextDueAt: Date | null): BotStateChange {
  return { botId, nextDueAt, leaseId: null };
}

/**
 * The due bots sorted before their robots are locked: the ones that cannot send (disabled, deleted; their waiting
 * rows are skipped), the ones with nothing in turn or under a pause of their own or their app's (due again later),
 * and the candidates. A moved bot is both: what waits of its old store is skipped, the rest may go.
 */
export function triageDueBots(
  bots: readonly DueBot[],
  now: number,
): { changes: BotStateChange[]; undeliverable: number[]; candidates: SendingBot[] } {
  const changes: BotStateChange[] = [];
  const undeliverable: number[] = [];
  const candidates: SendingBot[] = [];
  for (const bot of bots) {
    if (!bot.enabled || bot.rate_limit === null || bot.version === null || bot.store_id === null) {
      undeliverable.push(bot.bot_id);
      changes.push(later(bot.bot_id, null));
      continue;
    }
    if (bot.moved) undeliverable.push(bot.bot_id);
    if (bot.head_id === null) {
      changes.push(later(bot.bot_id, bot.earliest_due));
      continue;
    }
    // The bot's own pause is on the application's clock, its app's on the database's (database-time.ts).
    const botPause = bot.rate_limited_until?.getTime() ?? 0;
    const appPause = bot.app_paused_until?.getTime() ?? 0;
    if (botPause > now || appPause > Number(bot.db_now)) {
      changes.push(
        later(bot.bot_id, new Date(Math.max(botPause, appPause, bot.earliest_due?.getTime() ?? 0))),
      );
      continue;
    }
    candidates.push(bot as SendingBot);
  }
  return { changes, undeliverable, candidates };
}

/** What one app may do across the cluster (docs/dingtalk-app-limits.md): configuration, the numbers unconfirmed. */
export interface AppLimits {
  /** Calls of one of the app's robot APIs a second (DINGTALK_APP_API_CALLS_PER_SECOND). */
  callsPerSecond: number;
  /** Work-notification recipients a minute (DINGTALK_WORK_NOTIFICATION_RECIPIENTS_PER_MINUTE). */
  recipientsPerMinute: number;
}

/** A window of an app's that a send counts in: its row's key, its length and limit, and what the send adds. */
export interface AppWindowUse {
  key: string;
  windowMs: number;
  limit: number;
  weight: number;
}

/**
 * The app-wide windows a bot's send counts in, besides its robot's (which is per app and group, or per app and
 * users): each robot API of the app a second, and the app's work-notification recipients a minute. One app serves a
 * whole chain, so these are what all its stores share; a per-robot window cannot protect them. Rows of
 * robot_rate_windows too, keyed by the app's key and a suffix.
 */
export function appWindowsOf(bot: DueBot, limits: AppLimits): AppWindowUse[] {
  if (bot.app_key === null) return [];
  const uses: AppWindowUse[] = [];
  const perSecond = (api: string) => ({
    key: `${bot.app_key}|api:${api}`,
    windowMs: 1_000,
    limit: limits.callsPerSecond,
    weight: 1,
  });
  if (bot.group_send) uses.push(perSecond('group'));
  if (bot.recipients > 0) {
    uses.push(perSecond('work'), {
      key: `${bot.app_key}|recipients`,
      windowMs: 60_000,
      limit: limits.recipientsPerMinute,
      weight: bot.recipients,
    });
  }
  return uses;
}

/**
 * When a window of `use.limit` entries per `use.windowMs` has room for `use.weight` more (null: now). `recent`: its
 * entries in the window, oldest first. A send heavier than the whole limit goes alone, into an empty window.
 */
export function weightedFreeAt(recent: readonly number[], use: AppWindowUse): number | null {
  const leaving = Math.min(recent.length, recent.length + use.weight - use.limit);
  if (leaving <= 0 || (recent.length === 0 && use.weight > use.limit)) return null;
  return recent[leaving - 1] + use.windowMs + 1;
}

/** One send a claim allots: the bot, and the entry it puts in its robot's window (ClaimedNotification.windowStamp). */
export interface AllottedSend {
  bot: SendingBot;
  stamp: number;
}

export interface Allotment {
  /** The candidates that do not send now, and when they are due again. */
  changes: BotStateChange[];
  /** The candidates that send now, in the candidates' order. */
  sends: AllottedSend[];
  /** The windows of the robots sent through, with the new sends in them, by robot key. */
  windows: Map<string, number[]>;
  /** DingTalk calls the sends take from the cluster's budget. */
  spent: number;
}

/**
 * Which candidates send now, within their robots' windows (the robots locked for this claim: `robots`; one missing
 * is held by another claim, and its bots are looked at again shortly), the robots' pauses, their apps' windows
 * (appWindowsOf, locked the same way) and the cluster's call budget (`budget` calls left, refilled at `rate` a
 * second). A send counts in its robot's window from the claim,
 * on the database's clock, until its result is recorded: then from the recording, which comes after the send
 * reached DingTalk (ROBOTS_AFTER_SENDS). `marginMs` covers the way to DingTalk of a send still in flight, as seen by
 * another bot of the same robot.
 */
export function allotSends(
  candidates: readonly SendingBot[],
  robots: ReadonlyMap<string, RobotWindow>,
  limits: { now: number; marginMs: number; budget: number; rate: number; app: AppLimits },
): Allotment {
  const { now, marginMs, rate } = limits;
  let budget = limits.budget;
  const changes: BotStateChange[] = [];
  const sends: AllottedSend[] = [];
  const windows = new Map<string, number[]>();
  const sentThrough = new Set<string>();
  let spent = 0;
  for (const bot of candidates) {
    const robot = robots.get(bot.robot_key);
    const dbNow = Number(bot.db_now);
    if (!robot) {
      changes.push(recheck(bot.bot_id, now));
      continue;
    }
    const robotPause = robot.paused_until?.getTime() ?? 0;
    if (robotPause > dbNow) {
      changes.push(later(bot.bot_id, new Date(Math.max(robotPause, bot.earliest_due?.getTime() ?? 0))));
      continue;
    }
    const recent =
      windows.get(bot.robot_key) ?? windowSends(robot.recent_sends, dbNow - RATE_WINDOW_MS - marginMs);
    windows.set(bot.robot_key, recent);
    if (recent.length >= bot.rate_limit) {
      changes.push(later(bot.bot_id, new Date(windowFreeAt(recent, bot.rate_limit, marginMs))));
      continue;
    }
    const uses = appWindowsOf(bot, limits.app);
    if (uses.some((use) => !robots.has(use.key))) {
      changes.push(recheck(bot.bot_id, now));
      continue;
    }
    let appFreeAt = 0;
    for (const use of uses) {
      const entries =
        windows.get(use.key) ?? windowSends(robots.get(use.key)!.recent_sends, dbNow - use.windowMs);
      windows.set(use.key, entries);
      appFreeAt = Math.max(appFreeAt, weightedFreeAt(entries, use) ?? 0);
    }
    if (appFreeAt > 0) {
      changes.push(later(bot.bot_id, new Date(appFreeAt)));
      continue;
    }
    if (bot.calls > budget) {
      changes.push(recheck(bot.bot_id, now, Math.ceil(((bot.calls - budget) * 1000) / rate)));
      continue;
    }
    budget -= bot.calls;
    spent += bot.calls;
    recent.push(dbNow);
    sends.push({ bot, stamp: dbNow });
    sentThrough.add(bot.robot_key);
    // The app's windows count the send from its claim (their entries are not moved at its recording, as the robot's
    // are): a second's or a minute's window is no finer than the time from a claim to DingTalk anyway.
    for (const use of uses) {
      windows.get(use.key)!.push(...Array.from({ length: use.weight }, () => dbNow));
      sentThrough.add(use.key);
    }
  }
  return {
    changes,
    sends,
    windows: new Map([...sentThrough].map((key) => [key, windows.get(key)!])),
    spent,
  };
}
