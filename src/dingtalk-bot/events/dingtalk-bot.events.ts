import { BotField } from '../bot-fields';
import { BotType } from '../entities/dingtalk-bot.entity';

/** What listeners need to know of a bot without touching its secrets. */
export interface BotSnapshot {
  id: number;
  storeId: number;
  botType: BotType;
  isEnabled: boolean;
}

export interface BotCreatedEvent {
  bot: BotSnapshot;
}

export interface BotUpdatedEvent {
  before: BotSnapshot;
  after: BotSnapshot;
  /** Every field whose value changed, e.g. ['isEnabled'] or ['clientSecret'] (secret values are not included). */
  changed: BotField[];
}

export interface BotDeletedEvent {
  bot: BotSnapshot;
}
