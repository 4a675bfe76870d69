import { BotHealth } from '../../events/bot-health.events';
import { AlertType } from '../messages/alert-message';

/** What the alert job reads of a bot's health row. */
export interface AlertingState {
  health: BotHealth;
  /** Since when the bot has had this health (clock ms). */
  since: number;
  /** The destinations were told it broke, and not yet that it recovered. */
  alertedBroken: boolean;
  /** When they were last told (the alert or the latest reminder; clock ms). */
  alertedAt: number | null;
}

export interface AlertTiming {
  quietPeriodMs: number;
  reminderMs: number;
}

/**
 * The alert a bot is due at `now`, if any (docs/bot-health.md, Alerts): once per change, and only for a change that
 * has lasted the quiet period, so a bot that breaks and mends within it (flapping) is never alerted, and a recovery
 * that does not last is not told. `broken` when it has been broken that long and was not alerted; `recovered` when
 * it was, and has been healthy that long; `still_broken` when it was alerted and is still not healthy a reminder
 * interval after it was last told.
 */
export function dueAlert(state: AlertingState, now: number, timing: AlertTiming): AlertType | null {
  const lasted = now - state.since >= timing.quietPeriodMs;
  if (!state.alertedBroken) return state.health === 'broken' && lasted ? 'broken' : null;
  if (state.health === 'healthy') return lasted ? 'recovered' : null;
  return state.alertedAt === null || now - state.alertedAt >= timing.reminderMs ? 'still_broken' : null;
}
