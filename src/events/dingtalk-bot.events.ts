/** What listeners need to know of a bot without touching its secrets. */
export interface BotSnapshot {
  readonly id: number;
  readonly storeId: number;
  /** Its kind (dingtalk-bot's BotKind type). */
  readonly botType: string;
  readonly isEnabled: boolean;
  /** A stream bot's DingTalk app (its connection is the app's); null for a bot without one. */
  readonly appId: number | null;
}

export interface BotCreatedEvent {
  readonly bot: BotSnapshot;
}

export interface BotUpdatedEvent {
  readonly before: BotSnapshot;
  readonly after: BotSnapshot;
  /**
   * Every setting whose value changed, by its name in the bot's fields (camelCase), e.g. ['isEnabled'] or
   * ['appId']; secret values are not included.
   */
  readonly changed: readonly string[];
}

export interface BotDeletedEvent {
  readonly bot: BotSnapshot;
}
