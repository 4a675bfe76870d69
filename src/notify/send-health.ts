import { Port, port } from '../common/port';
import type { BotHealth, BotHealthReason } from '../events/bot-health.events';

/** A bot whose health the recording of its sends changed (committed with them). */
export interface SendHealthChange {
  bot_id: number;
  was: BotHealth;
  health: BotHealth;
  reason: BotHealthReason | null;
  detail: string | null;
  hint: string | null;
  since: Date;
}

/**
 * What a bot's health makes of the sends the delivery queue records (docs/bot-health.md), written by the statement
 * that records them: DingTalk's answer and what it says of the bot commit together, so no crash, and no failure of
 * anything after the commit, can keep one without the other (a refusal recorded while the bot stays healthy, never
 * alerted). Table bot_health is the bot-health module's, which implements this port (bound in
 * src/composition.module.ts); this module only says what was answered.
 */
export interface SendHealthWrite {
  /**
   * CTEs (`name AS (…)`, comma-separated) for the recording's statement, reading the relation named `answers`, one
   * row a recorded send: bot_id integer, at timestamptz (when the send ended), outcome text (DingTalk's answer
   * classified: ok, throttled, transient, permanent, token_expired), status text (what the notification became),
   * detail text (DingTalk's answer in a line), hint text, pause_scope text (a throttle answer's: robot, app or
   * cluster), pause_until timestamptz. The last CTE, `health_changes`, has a SendHealthChange a row.
   */
  ctes(answers: string): string;
  /** Once the recording has committed: what its statement changed, told (logs, metrics); never throws. */
  changed(changes: readonly SendHealthChange[]): Promise<void>;
}
export const SEND_HEALTH: Port<SendHealthWrite> = port<SendHealthWrite>('SendHealthWrite');
