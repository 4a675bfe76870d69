import { Port, port } from '../common/port';
import { BotHealth, BotHealthReason } from '../events/bot-health.events';

/** A bot's health as the bots' API shows it (docs/bot-health.md). */
export interface BotHealthView {
  health: BotHealth;
  reason: BotHealthReason | null;
  /** DingTalk's answer or the connection's error, in a line. */
  detail: string | null;
  hint: string | null;
  since: Date;
}

/** The bots' health, which the bot-health module keeps (its table); the bots' lists and pages show it. */
export interface BotHealthReader {
  /** The health of each of `botIds` that has one recorded; a bot missing from the answer is healthy. */
  healthOf(botIds: readonly number[]): Promise<Map<number, BotHealthView>>;
  /** Every bot that is degraded, or broken (the few), by id. */
  botIdsWith(health: Exclude<BotHealth, 'healthy'>): Promise<number[]>;
}

/**
 * A port this module declares, so that it shows health without depending on the module that judges it (that one
 * depends on this one): implemented by bot-health's repository and bound in src/composition.module.ts.
 */
export const BOT_HEALTH_READER: Port<BotHealthReader> = port<BotHealthReader>('BotHealthReader');
