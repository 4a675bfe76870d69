import { DINGTALK_HINTS } from '../dingtalk/dingtalk-hints';
import {
  BotHealth,
  BotHealthReason,
  DeliveryOutcome,
  StreamConnectionChangedEvent,
} from '../events/bot-health.events';

/** Where a bot's health is learnt: what DingTalk answers its sends, and its Stream connection. */
export type HealthSource = 'delivery' | 'connection';

/**
 * What one source says is wrong with a bot (nothing wrong: no signal). Times are clock milliseconds, so that the
 * signal reads the same on every instance.
 */
export interface HealthSignal {
  health: Exclude<BotHealth, 'healthy'>;
  reason: BotHealthReason;
  /** DingTalk's answer or the connection's error, in a line; never a secret. */
  detail: string | null;
  hint: string | null;
  /** Since when this source has said so (same health and reason). */
  since: number;
  /** A pause ends by itself: from this moment the signal is gone. Null: until something else is observed. */
  until: number | null;
}

/** A bot's health as its two sources make it: the worse of them; a tie goes to the older. */
export interface CombinedHealth {
  health: BotHealth;
  reason: BotHealthReason | null;
  detail: string | null;
  hint: string | null;
  /** Since when the signal it comes from has said so; null when healthy. */
  signalSince: number | null;
}

export const HEALTHY: CombinedHealth = {
  health: 'healthy',
  reason: null,
  detail: null,
  hint: null,
  signalSince: null,
};

/** Whether `a` is worse than `b`. */
export function worse(a: BotHealth, b: BotHealth): boolean {
  return SEVERITY[a] > SEVERITY[b];
}

const SEVERITY: Record<BotHealth, number> = { healthy: 0, degraded: 1, broken: 2 };

/**
 * What a recorded send says (docs/bot-health.md): accepted, healthy; throttled, degraded until the pause ends, or
 * broken when the organisation's monthly quota is used up (it waits for next month); a transient error, degraded
 * while retries remain and broken once they ran out; a permanent refusal (signature, disabled robot, unknown token,
 * refused credentials), broken, and so it stays, whatever fails next, until a send is accepted.
 */
export function deliverySignal(outcome: DeliveryOutcome, previous: HealthSignal | null): HealthSignal | null {
  const next = readSend(outcome, previous);
  // Sends that failed for good say the bot is broken until one is accepted: a later send's retry or throttle
  // (degraded) does not say it mended. Else a bot flapping between a send out of retries and the next send's first
  // failure would never stay broken for the alerts' quiet period, and never be alerted.
  if (next?.health === 'degraded' && previous?.health === 'broken' && STAYS_BROKEN.has(previous.reason)) {
    return previous;
  }
  return next;
}

/** Reasons of a send's broken signal that only an accepted send ends. */
const STAYS_BROKEN: ReadonlySet<BotHealthReason> = new Set(['retries_exhausted', 'send_refused']);

function readSend(outcome: DeliveryOutcome, previous: HealthSignal | null): HealthSignal | null {
  const signal = (health: HealthSignal['health'], reason: BotHealthReason, until: number | null = null) =>
    continued(previous, {
      health,
      reason,
      detail: outcome.detail,
      hint: outcome.hint,
      since: outcome.at,
      until,
    });
  switch (outcome.outcome) {
    case 'ok':
      return null;
    case 'throttled': {
      const until = outcome.pause?.until ?? null;
      switch (outcome.pause?.scope ?? 'robot') {
        case 'app':
          return signal('broken', 'quota_used_up', until);
        case 'cluster':
          return signal('degraded', 'ip_blocked', until);
        case 'robot':
          return signal('degraded', 'throttled', until);
      }
      break;
    }
    case 'permanent':
      return signal('broken', 'send_refused');
    case 'transient':
    case 'token_expired':
      return outcome.status === 'failed'
        ? signal('broken', 'retries_exhausted')
        : signal('degraded', 'retrying');
  }
  return null;
}

/**
 * What a Stream connection's status says: connected, healthy; reconnecting, degraded (broken once it has lasted
 * longer than the settings' unreachable_after_seconds, see aged); credentials refused, broken. `connecting` (a first
 * attempt, or a restart after new credentials) and `disconnected` (stopped: the bot was disabled or the instance is
 * stopping, and another takes over) change nothing: the next status decides.
 */
export function connectionSignal(
  change: StreamConnectionChangedEvent,
  previous: HealthSignal | null,
): HealthSignal | null {
  switch (change.status) {
    case 'connected':
      return null;
    case 'connecting':
    case 'disconnected':
      return previous;
    case 'reconnecting':
      // Still unable to connect: an escalated signal stays broken, with the latest error.
      if (previous?.reason === 'cannot_connect') return { ...previous, detail: change.lastError };
      return continued(previous, {
        health: 'degraded',
        reason: 'reconnecting',
        detail: change.lastError,
        hint: DINGTALK_HINTS.network,
        since: change.since,
        until: null,
      });
    case 'auth_failed':
      return continued(previous, {
        health: 'broken',
        reason: 'credentials_refused',
        detail: change.lastError,
        hint: DINGTALK_HINTS.credentials,
        since: change.since,
        until: null,
      });
  }
}

/**
 * A signal as time alone changes it at `now`: a pause that has ended is gone; a connection reconnecting for longer
 * than `unreachableAfterMs` is broken (`cannot_connect`), from the moment that time ran out.
 */
export function aged(
  signal: HealthSignal | null,
  now: number,
  unreachableAfterMs: number,
): HealthSignal | null {
  if (!signal) return null;
  if (signal.until !== null && signal.until <= now) return null;
  if (signal.reason === 'reconnecting' && now - signal.since >= unreachableAfterMs) {
    return {
      ...signal,
      health: 'broken',
      reason: 'cannot_connect',
      hint: `The Stream connection could not be made for ${Math.round(unreachableAfterMs / 60_000)} minutes or more. ${DINGTALK_HINTS.network}`,
      since: signal.since + unreachableAfterMs,
    };
  }
  return signal;
}

/** The bot's health from its sources' signals: the worse; between two as bad, the older. */
export function combine(...signals: Array<HealthSignal | null>): CombinedHealth {
  let worst: HealthSignal | null = null;
  for (const signal of signals) {
    if (!signal) continue;
    const worse =
      worst === null ||
      SEVERITY[signal.health] > SEVERITY[worst.health] ||
      (signal.health === worst.health && signal.since < worst.since);
    if (worse) worst = signal;
  }
  if (!worst) return HEALTHY;
  return {
    health: worst.health,
    reason: worst.reason,
    detail: worst.detail,
    hint: worst.hint,
    signalSince: worst.since,
  };
}

/** Whether two signals say the same (a signal read back from the database has its keys in another order). */
export function sameSignal(a: HealthSignal | null, b: HealthSignal | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.health === b.health &&
    a.reason === b.reason &&
    a.detail === b.detail &&
    a.hint === b.hint &&
    a.since === b.since &&
    a.until === b.until
  );
}

/** The same trouble as before keeps its `since`: a second throttle or a further retry is not a new one. */
function continued(previous: HealthSignal | null, next: HealthSignal): HealthSignal {
  if (previous && previous.health === next.health && previous.reason === next.reason) {
    return { ...next, since: Math.min(previous.since, next.since) };
  }
  return next;
}
