/** What listeners need to know of a bot without touching its secrets. */
export interface BotSnapshot {
  readonly id: number;
  readonly storeId: number;
  /** Its kind (dingtalk-bot's BotKind type). */
  readonly botType: string;
  readonly isEnabled: boolean;
}

export interface BotCreatedEvent {
  readonly bot: BotSnapshot;
}

export interface BotUpdatedEvent {
  readonly before: BotSnapshot;
  readonly after: BotSnapshot;
  /**
   * Every setting whose value changed, by its name in the bot's fields (camelCase), e.g. ['isEnabled'] or
   * ['clientSecret']; secret values are not included.
   */
  readonly changed: readonly string[];
}

export interface BotDeletedEvent {
  readonly bot: BotSnapshot;
}
