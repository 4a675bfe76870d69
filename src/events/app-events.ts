import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { BotCreatedEvent, BotDeletedEvent, BotUpdatedEvent } from './dingtalk-bot.events';
import type { NotificationsQueuedEvent } from './notification.events';

/**
 * Every domain event, by name, with its payload type (defined in this folder: features import them, this folder
 * imports no feature). Listeners: `@OnEvent(AppEvent.BotUpdated)` with the payload type below.
 */
export const AppEvent = {
  BotCreated: 'dingtalk_bot.created',
  BotUpdated: 'dingtalk_bot.updated',
  BotDeleted: 'dingtalk_bot.deleted',
  /** Notifications other than a report's were committed (batch send, resend): the dispatcher may wake. */
  NotificationsQueued: 'notifications.queued',
} as const;

/** Event name → payload type. */
export interface AppEventPayloads {
  [AppEvent.BotCreated]: BotCreatedEvent;
  [AppEvent.BotUpdated]: BotUpdatedEvent;
  [AppEvent.BotDeleted]: BotDeletedEvent;
  [AppEvent.NotificationsQueued]: NotificationsQueuedEvent;
}

export type AppEventName = keyof AppEventPayloads;

/** Typed front of EventEmitter2: the payload must match the event's name. */
@Injectable()
export class AppEvents {
  constructor(private readonly emitter: EventEmitter2) {}

  /**
   * Runs the listeners and waits for them. A failing listener is logged where it runs, unless it declares
   * `suppressErrors: false`: then its error reaches the emitter (an in-transaction listener must, to roll back).
   */
  async emit<K extends AppEventName>(name: K, payload: AppEventPayloads[K]): Promise<void> {
    await this.emitter.emitAsync(name, payload);
  }
}
