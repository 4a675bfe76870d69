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
 * The app of a stream bot connects when its first enabled bot is created, and stops when its last one is disabled,
 * deleted, switched to another kind or moved to another app; an app's new secret restarts its connection. The
 * service re-reads the app and its bots and decides, so each listener only names the apps; it waits for the change,
 * so that when the HTTP call answers, the connection is started or gone.
 */
@Injectable()
export class StreamBotListener {
  constructor(private readonly connections: StreamConnectionService) {}

  @OnAppEvent(AppEvent.BotCreated)
  async onCreated({ bot }: BotCreatedEvent): Promise<void> {
    await this.syncAppsOf([bot]);
  }

  @OnAppEvent(AppEvent.BotUpdated)
  async onUpdated({ before, after }: BotUpdatedEvent): Promise<void> {
    await this.syncAppsOf([before, after]);
  }

  @OnAppEvent(AppEvent.BotDeleted)
  async onDeleted({ bot }: BotDeletedEvent): Promise<void> {
    await this.syncAppsOf([bot]);
  }

  @OnAppEvent(AppEvent.AppUpdated)
  async onAppUpdated({ appId, changed }: AppUpdatedEvent): Promise<void> {
    if (changed.includes('clientSecret')) await this.connections.sync(appId);
  }

  private async syncAppsOf(bots: readonly BotSnapshot[]): Promise<void> {
    const apps = new Set(
      bots.filter((bot) => connects(bot) && bot.appId !== null).map((bot) => bot.appId as number),
    );
    await Promise.all([...apps].map((appId) => this.connections.sync(appId)));
  }
}

/** A bot of a kind that keeps a Stream connection (its app's). */
function connects(bot: BotSnapshot): boolean {
  return botKind(bot.botType).connection !== undefined;
}
