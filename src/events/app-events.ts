import { Injectable } from '@nestjs/common';
import { EventEmitter2, OnEvent, OnEventOptions } from '@nestjs/event-emitter';
import type { BotHealthChangedEvent, StreamConnectionChangedEvent } from './bot-health.events';
import type { AppUpdatedEvent } from './dingtalk-app.events';
import type { BotCreatedEvent, BotDeletedEvent, BotUpdatedEvent } from './dingtalk-bot.events';

/**
 * Every domain event, by name, with its payload type (defined in this folder: features import them, this folder
 * imports no feature). Listeners: `@OnAppEvent(AppEvent.BotUpdated)`, which checks the method's payload type.
 */
export const AppEvent = {
  BotCreated: 'dingtalk_bot.created',
  BotUpdated: 'dingtalk_bot.updated',
  BotDeleted: 'dingtalk_bot.deleted',
  /** A stream bot's connection took a status: a bot's health follows it. */
  StreamConnectionChanged: 'stream.connection_changed',
  /**
   * A bot's health changed (committed), told by the instance that changed it: its log line and its own metrics. In
   * process, as they are; what must survive a crash (the alerts) reads table bot_health instead.
   */
  BotHealthChanged: 'bot_health.changed',
  /** A DingTalk app's secret, AgentId or name changed (committed): its connection and its bots follow. */
  AppUpdated: 'dingtalk_app.updated',
} as const;

/** Event name → payload type. Payloads are plain data, read-only: a listener answers nothing through them. */
export interface AppEventPayloads {
  [AppEvent.BotCreated]: BotCreatedEvent;
  [AppEvent.BotUpdated]: BotUpdatedEvent;
  [AppEvent.BotDeleted]: BotDeletedEvent;
  [AppEvent.StreamConnectionChanged]: StreamConnectionChangedEvent;
  [AppEvent.BotHealthChanged]: BotHealthChangedEvent;
  [AppEvent.AppUpdated]: AppUpdatedEvent;
}

export type AppEventName = keyof AppEventPayloads;

/** A method that handles event `K`: it takes that event's payload (or nothing). */
type Listener<K extends AppEventName> = (payload: AppEventPayloads[K]) => unknown;

/**
 * `@OnEvent` for one of AppEvent's names, typed by it: a method that takes another event's payload does not compile
 * (immich's `@OnEvent({ name })` on its EventMap does the same).
 */
export function OnAppEvent<K extends AppEventName>(name: K, options?: OnEventOptions) {
  const listen = OnEvent(name, options);
  return <M extends Listener<K>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): void => {
    listen(target, key, descriptor);
  };
}

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
