import { Injectable } from '@nestjs/common';
import { AppEvent, OnAppEvent } from '../../events/app-events';
import { botKind } from '../../dingtalk-bot/bot-kinds';
import type { AppUpdatedEvent } from '../../events/dingtalk-app.events';
import {
  BotCreatedEvent,
  BotDeletedEvent,
  BotSnapshot,
  BotUpdatedEvent,
} from '../../events/dingtalk-bot.events';
import { StreamConnectionService } from '../stream-connection.service';

/**
 * Creating an enabled stream bot starts its connection; disabling, deleting, switching `bot_type` or new
 * credentials stop or restart it. The service re-reads the bot and decides, so each listener only names the bot;
 * it waits for the change, so that when the HTTP call answers, the connection is started or gone.
 */
@Injectable()
export class StreamBotListener {
  constructor(private readonly connections: StreamConnectionService) {}

  @OnAppEvent(AppEvent.BotCreated)
  async onCreated({ bot }: BotCreatedEvent): Promise<void> {
    if (connects(bot)) await this.connections.sync(bot.id);
  }

  @OnAppEvent(AppEvent.BotUpdated)
  async onUpdated({ before, after }: BotUpdatedEvent): Promise<void> {
    if (connects(before) || connects(after)) await this.connections.sync(after.id);
  }

  @OnAppEvent(AppEvent.BotDeleted)
  async onDeleted({ bot }: BotDeletedEvent): Promise<void> {
    if (connects(bot)) await this.connections.sync(bot.id);
  }

  /** An app's new secret: its connection is made again with it. */
  @OnAppEvent(AppEvent.AppUpdated)
  async onAppUpdated({ bots, changed }: AppUpdatedEvent): Promise<void> {
    if (!changed.includes('clientSecret')) return;
    await Promise.all(bots.filter(connects).map((bot) => this.connections.sync(bot.id)));
  }
}

/** A bot of a kind that keeps a Stream connection. */
function connects(bot: BotSnapshot): boolean {
  return botKind(bot.botType).connection !== undefined;
}
