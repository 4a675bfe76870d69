import { Port, port } from '../common/port';

// What the store overview reads from tables other modules own (the bots, the notifications): ports it declares,
// implemented by the owners' repositories and bound in src/composition.module.ts.

/** A store's bots, counted. */
export interface StoreBotCounts {
  storeId: number;
  bots: number;
  enabledBots: number;
  /** Of them, those whose health is broken, and degraded (docs/bot-health.md). */
  brokenBots: number;
  degradedBots: number;
}

/** A store's notifications, counted: its backlog now, and the outcomes of the ones made today. */
export interface StoreDeliveryCounts {
  storeId: number;
  /** pending or retrying, whenever made. */
  pending: number;
  /** Made today (the stores' day) and failed. */
  failedToday: number;
  /** Made today and sent. */
  sentToday: number;
}

/** `stores` undefined: every store; otherwise only these. `day`: the stores' date (YYYY-MM-DD in `timeZone`). */
export interface StoreCountsQuery {
  stores: readonly number[] | undefined;
  day: string;
  timeZone: string;
}

export interface StoreBots {
  /** Every store with at least one bot, with its bots counted. */
  botCountsByStore(stores: readonly number[] | undefined): Promise<StoreBotCounts[]>;
}
export const STORE_BOTS: Port<StoreBots> = port<StoreBots>('StoreBots');

export interface StoreDeliveries {
  /** Every store with a notification pending now or made on `day`, with them counted. */
  deliveryCountsByStore(query: StoreCountsQuery): Promise<StoreDeliveryCounts[]>;
}
export const STORE_DELIVERIES: Port<StoreDeliveries> = port<StoreDeliveries>('StoreDeliveries');
