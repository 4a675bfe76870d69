import type { NotificationStatus } from './notification.events';

/**
 * How well a bot works: `healthy`; `degraded` while it still gets through or will again by itself (retrying,
 * throttled, reconnecting); `broken` when nothing will get through until someone acts (DingTalk refuses the sends or
 * the credentials, retries ran out, a Stream connection cannot be made for too long, the organisation's quota is
 * used up). Defined here: the events carry it, and the bots' API shows it.
 */
export const BOT_HEALTHS = ['healthy', 'degraded', 'broken'] as const;
export type BotHealth = (typeof BOT_HEALTHS)[number];

/** Why a bot is not healthy (docs/bot-health.md lists what each means and what ends it). */
export const BOT_HEALTH_REASONS = [
  // degraded
  'retrying',
  'throttled',
  'ip_blocked',
  'reconnecting',
  // broken
  'send_refused',
  'retries_exhausted',
  'quota_used_up',
  'credentials_refused',
  'cannot_connect',
] as const;
export type BotHealthReason = (typeof BOT_HEALTH_REASONS)[number];

/**
 * One recorded send, as much of it as a bot's health needs: the delivery queue hands it to the bots' health in the
 * statement that records it (notify/send-health.ts).
 */
export interface DeliveryOutcome {
  readonly botId: number;
  /** When the send ended (clock ms). */
  readonly at: number;
  /** DingTalk's answer, classified (dingtalk/dingtalk-outcome.ts: ok, throttled, transient, permanent, token_expired). */
  readonly outcome: 'ok' | 'throttled' | 'transient' | 'permanent' | 'token_expired';
  /** What the notification became: `retrying`, or `failed` once retries ran out or at a permanent refusal. */
  readonly status: NotificationStatus;
  /** DingTalk's answer in a line (errcode and errmsg), never a secret; null when ok. */
  readonly detail: string | null;
  /** What to do about it, as the delivery log shows it. */
  readonly hint: string | null;
  /** A throttle answer's pause: whose sends wait (the robot's, the app's, every one's) and until when (clock ms). */
  readonly pause: { readonly scope: 'robot' | 'app' | 'cluster'; readonly until: number } | null;
}

/**
 * `stream.connection_changed`: a Stream connection took a status (or failed again in the same one). An in-process
 * event, and rightly: a connection lives in one process (its supervisor's) and what it observes is written nowhere
 * else to be committed with; a status lost in a crash goes with the connection, whose next instance reports anew.
 */
export interface StreamConnectionChangedEvent {
  readonly botId: number;
  readonly status: 'connected' | 'connecting' | 'reconnecting' | 'disconnected' | 'auth_failed';
  /** Since when the connection has had this status (clock ms). */
  readonly since: number;
  /** Why the last attempt or connection failed; never a secret. */
  readonly lastError: string | null;
  /** When this was observed (clock ms). */
  readonly at: number;
}

/** `bot_health.changed`: a bot's health took another value (written first: the change is committed). */
export interface BotHealthChangedEvent {
  readonly botId: number;
  readonly before: BotHealth;
  readonly after: BotHealth;
  /** Why it is not healthy now; null when healthy. */
  readonly reason: BotHealthReason | null;
  readonly hint: string | null;
  /** When the bot took its new health (clock ms). */
  readonly since: number;
}
