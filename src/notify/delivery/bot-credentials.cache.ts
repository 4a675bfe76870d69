import { Injectable } from '@nestjs/common';
import { BotWithSecrets } from '../../dingtalk-bot/bot-fields';
import { DingTalkBotService } from '../../dingtalk-bot/dingtalk-bot.service';
import { AppEvent, OnAppEvent } from '../../events/app-events';
import type { BotDeletedEvent, BotUpdatedEvent } from '../../events/dingtalk-bot.events';

interface Entry {
  version: string;
  bot: Promise<BotWithSecrets | null>;
}

/**
 * The bots' opened credentials, so that a send neither reads its bot again nor decrypts its secrets. An entry is
 * good for one version of the bot row (its `updated_at`, which every claim reads): a change made by any instance
 * shows up as a new version at the next claim. Local changes also drop their entry at once.
 */
@Injectable()
export class BotCredentialsCache {
  private readonly entries = new Map<number, Entry>();

  constructor(private readonly bots: DingTalkBotService) {}

  get(botId: number, version: string): Promise<BotWithSecrets | null> {
    const cached = this.entries.get(botId);
    if (cached?.version === version) return cached.bot;
    const bot = this.bots.findWithSecrets(botId);
    const entry: Entry = { version, bot };
    this.entries.set(botId, entry);
    // A failed read is not kept: the next send reads again.
    bot.catch(() => {
      if (this.entries.get(botId) === entry) this.entries.delete(botId);
    });
    return bot;
  }

  @OnAppEvent(AppEvent.BotUpdated)
  onBotUpdated(event: BotUpdatedEvent): void {
    this.entries.delete(event.after.id);
  }

  @OnAppEvent(AppEvent.BotDeleted)
  onBotDeleted(event: BotDeletedEvent): void {
    this.entries.delete(event.bot.id);
  }
}
