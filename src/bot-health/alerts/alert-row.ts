import { BotHealth, BotHealthReason } from '../../events/bot-health.events';
import { AlertFacts, AlertType } from '../messages/alert-message';

/** A bot_alerts row as the alert statements select it (both repositories of alerts read it). */
export interface AlertRow {
  id: string;
  type: AlertType;
  bot_id: number;
  bot_name: string;
  bot_type: string;
  store_id: number;
  health: BotHealth;
  reason: BotHealthReason | null;
  detail: string | null;
  hint: string | null;
  since: Date;
  created_at: Date;
}

export function factsOf(row: AlertRow): AlertFacts {
  return {
    id: String(row.id),
    type: row.type,
    botId: row.bot_id,
    botName: row.bot_name,
    botType: row.bot_type,
    storeId: row.store_id,
    health: row.health,
    reason: row.reason,
    detail: row.detail,
    hint: row.hint,
    since: row.since,
    createdAt: row.created_at,
  };
}
