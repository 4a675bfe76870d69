import type { BotSnapshot } from './dingtalk-bot.events';

export interface AppUpdatedEvent {
  readonly appId: number;
  /** The app's changed settings by their names in camelCase (`clientSecret`, `agentId`, `name`); no values. */
  readonly changed: readonly string[];
  /** The bots that use the app, as they are now: their credentials are the app's. */
  readonly bots: readonly BotSnapshot[];
}
