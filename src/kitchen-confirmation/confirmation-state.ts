/**
 * A notification's confirmation, as the recorder answers it and the card shows it: `action`, `byUserId`, `byName`
 * and `at` describe the furthest step taken (收到, then 已备好), `confirmedAt` when it was first confirmed.
 */
export interface ConfirmationState {
  notificationId: string;
  menuReportId: number;
  storeId: number;
  status: 'unconfirmed' | 'confirmed';
  action: string | null;
  byUserId: string | null;
  byName: string | null;
  at: Date | null;
  /** When the first button was pressed (the same as `at` until a later button moved the action forward). */
  confirmedAt: Date | null;
}

/** One press of a button: a card's 回传请求 over Stream, or a signed link's form (docs/confirmation.md). */
export interface ConfirmationClick {
  notificationId: string;
  /** The button's action id (`received`, `ready`, or a store's own). */
  action: string;
  /** DingTalk's userid of whoever pressed it; a link press has none (`link`). */
  userId: string;
  userName: string | null;
  via: 'card' | 'link';
  /**
   * The same for a redelivery of the same press (a card callback: outTrackId, userId and action; a link: the
   * notification and action): a press is recorded once per key, across instances.
   */
  dedupeKey: string;
}

/** What a press came to: `recorded` when it confirmed the notification or moved its action forward. */
export interface RecordedClick {
  recorded: boolean;
  state: ConfirmationState;
}

/** A button offered on a notification: its action id (the card's actionId, a link's action) and its label. */
export interface ConfirmationButton {
  action: string;
  label: string;
}

export const DEFAULT_BUTTONS: readonly ConfirmationButton[] = [
  { action: 'received', label: '收到' },
  { action: 'ready', label: '已备好' },
];

/** A press the recorder refuses: no such notification to confirm, or a button it does not offer. */
export class ConfirmationRefused extends Error {
  constructor(
    readonly reason: 'not_found' | 'not_requested' | 'unknown_action',
    message: string,
  ) {
    super(message);
    this.name = 'ConfirmationRefused';
  }
}
