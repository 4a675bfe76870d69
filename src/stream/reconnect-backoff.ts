/**
 * Reconnect delays (docs/dingtalk/stream-mode.md, Reconnecting, compares the SDKs; this follows Python and Node
 * HEAD).
 */
export const RECONNECT_BASE_MS = 1_000;
export const RECONNECT_CAP_MS = 60_000;
/** A connection that stayed up this long was healthy: the next failure starts again from the base delay. */
export const STABLE_CONNECTION_MS = 30_000;
/** Refused credentials are retried slowly: someone has to fix them, but a fix in DingTalk's console is picked up. */
export const AUTH_RETRY_MS = 5 * 60_000;

/**
 * The delay before reconnect attempt `attempt` (0 for the first): base·2^attempt capped at 60 s, minus up to 50 %
 * jitter, so that hundreds of bots dropped at once by one gateway restart do not come back in lockstep.
 */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(RECONNECT_CAP_MS, RECONNECT_BASE_MS * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling * (0.5 + 0.5 * random()));
}

/** The slow retry after an auth failure, with ±10 % jitter. */
export function authRetryDelayMs(random: () => number = Math.random): number {
  return Math.round(AUTH_RETRY_MS * (0.9 + 0.2 * random()));
}
