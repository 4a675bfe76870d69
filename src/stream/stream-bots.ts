import { Port, port } from '../common/port';

/** A stream bot as the connections and their status views need it. */
export interface StreamBot {
  id: number;
  storeId: number;
  name: string;
  isEnabled: boolean;
}

/**
 * What the Stream connections read of the bots (table ding_talk_bots, owned by dingtalk-bot): a port this module
 * declares, implemented by the bots' repository and bound in src/composition.module.ts.
 */
export interface StreamBots {
  /** The enabled stream bots, by id. */
  enabledStreamBotIds(): Promise<number[]>;
  /** Every stream bot of the given stores (undefined: of every store), or the one bot `botId`, by id. */
  streamBots(filter: { storeIds?: readonly number[]; botId?: number }): Promise<StreamBot[]>;
}
export const STREAM_BOTS: Port<StreamBots> = port<StreamBots>('StreamBots');
