/** What listeners need to know of a bot without touching its secrets. */
export interface BotSnapshot {
  id: number;
  storeId: number;
  botType: 'webhook' | 'stream';
  isEnabled: boolean;
}

export interface BotCreatedEvent {
  bot: BotSnapshot;
}

export interface BotUpdatedEvent {
  before: BotSnapshot;
  after: BotSnapshot;
  /**
   * Every setting whose value changed, by its name in the bot's fields (camelCase), e.g. ['isEnabled'] or
   * ['clientSecret']; secret values are not included.
   */
  changed: string[];
}

export interface BotDeletedEvent {
  bot: BotSnapshot;
}
