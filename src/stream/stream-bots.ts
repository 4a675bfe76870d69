import { Port, port } from '../common/port';

/** A stream bot as its app's connection, the status views and the routing of messages need it. */
export interface StreamBot {
  id: number;
  storeId: number;
  name: string;
  isEnabled: boolean;
  /** Its DingTalk app: the connection it shares with the app's other bots. */
  appId: number | null;
  /** Its store's group: messages written there are this bot's. */
  openConversationId: string | null;
}

/**
 * A held app as stored now, read at every lease round by its holder: what its connection is made with (the secret
 * still sealed: the app module opens it) and which enabled stream bots use it (none: nothing to connect).
 */
export interface HeldApp {
  appId: number;
  clientId: string;
  sealedClientSecret: string;
  agentId: string | null;
  enabledBotIds: number[];
}

/**
 * What the Stream connections read of the bots (table ding_talk_bots, owned by dingtalk-bot): a port this module
 * declares, implemented by the bots' repository and bound in src/composition.module.ts.
 */
export interface StreamBots {
  /** The apps with an enabled stream bot: those that keep a connection, by id. */
  connectedAppIds(): Promise<number[]>;
  /**
   * The apps of `appIds` that still exist, each with its enabled stream bots, in one statement (the holder of their
   * connections asks every lease round, so that a change made on another instance reaches it).
   */
  heldApps(appIds: readonly number[]): Promise<HeldApp[]>;
  /** The stream bots of the given stores (undefined: every store), of one app, or the one bot `botId`, by id. */
  streamBots(filter: { storeIds?: readonly number[]; botId?: number; appId?: number }): Promise<StreamBot[]>;
  /**
   * For a message to app `appId`: its enabled stream bot of group `conversationId` if there is one, else of store
   * `storeId`, else its lowest; how many enabled stream bots the app has (0: no bot, and null); whether a stream
   * bot of the app, enabled or not, has group `conversationId`; and whether bots of two stores have ever been attached
   * to the app (it stays shared when they are deleted).
   */
  messageBot(
    appId: number,
    wanted: { conversationId?: string | null; storeId?: number | null },
  ): Promise<{ bot: StreamBot | null; enabledBots: number; groupHeld: boolean; appShared: boolean }>;
}
export const STREAM_BOTS: Port<StreamBots> = port<StreamBots>('StreamBots');
