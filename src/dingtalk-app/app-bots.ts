import { EntityManager } from 'typeorm';
import { Port, port } from '../common/port';
import type { BotSnapshot } from '../events/dingtalk-bot.events';

/** An app as its bots need to know it when it changes. */
export interface AppIdentity {
  id: number;
  clientId: string;
  agentId: string | null;
}

/**
 * What an app's change does to the bots that use it (table ding_talk_bots, dingtalk-bot's): a port this module
 * declares, implemented by dingtalk-bot and bound in src/composition.module.ts.
 */
export interface AppBots {
  /**
   * In the transaction that changed the app: each of its bots gets a new version (updated_at), so that what caches
   * a bot's credentials by its version, on any instance, reads the app's new ones at its next use; and its robot key
   * follows the app's AgentId. Answers the bots as they are now.
   */
  followApp(manager: EntityManager, app: AppIdentity): Promise<BotSnapshot[]>;
}
export const APP_BOTS: Port<AppBots> = port<AppBots>('AppBots');
