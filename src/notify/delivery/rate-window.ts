/**
 * DingTalk counts a custom robot's messages in a sliding minute and throttles it for 10 minutes past its limit
 * (docs/dingtalk/custom-robot.md, "Limits"). A bot's sends of the last minute are kept as clock milliseconds; these helpers read
 * that list the same way for the queue and for the test button.
 */
export const RATE_WINDOW_MS = 60_000;

/** The sends that still count (after `windowStart`), oldest first. */
export function windowSends(recentSends: readonly number[] | null, windowStart: number): number[] {
  return (recentSends ?? []).filter((sentAt) => sentAt > windowStart).sort((a, b) => a - b);
}

/**
 * When the window has room for one more send: the moment the oldest send that keeps it full leaves it.
 * `recent`: windowSends' answer, with at least `limit` entries.
 */
export function windowFreeAt(recent: readonly number[], limit: number, marginMs: number): number {
  return recent[recent.length - limit] + RATE_WINDOW_MS + marginMs + 1;
}
