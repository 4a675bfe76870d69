import { Port, port } from '../common/port';

/**
 * The long-lived connections some bots keep (a stream bot's DingTalk Stream connection): a port this module
 * declares, so that DingTalkBotModule decides when they start and stop (the application's start and shutdown),
 * implemented by the stream module's StreamConnectionService and bound in src/composition.module.ts.
 */
export interface BotConnections {
  /** Connects every bot that keeps a connection, in the background: it returns before they are connected. */
  start(): void;
  /** Closes every connection, including those start() is still opening; resolves once they are closed. */
  stop(): Promise<void>;
}
export const BOT_CONNECTIONS: Port<BotConnections> = port<BotConnections>('BotConnections');
