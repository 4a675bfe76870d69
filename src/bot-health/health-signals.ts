import { DINGTALK_HINTS } from '../dingtalk/dingtalk-hints';
import { BotHealth, BotHealthReason, StreamConnectionChangedEvent } from '../events/bot-health.events';

/** Where a bot's health is learnt: what DingTalk answers its sends, and its Stream connection. */
export type HealthSource = 'delivery' | 'connection';

/**
 * What one source says is wrong with a bot (nothing wrong: no signal), kept as JSON in its row. Times are clock
 * milliseconds, so that the signal reads the same on every instance. What a send's answer says, and the health two
 * signals make, are SQL (health-sql.ts), written where the sends are recorded; a connection's, and what time does
 * to a signal, are here.
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
