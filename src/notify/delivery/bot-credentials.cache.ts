import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { BotWithSecrets } from '../../dingtalk-bot/bot-fields';
import { DingTalkBotService } from '../../dingtalk-bot/dingtalk-bot.service';
import { AppEvent, OnAppEvent } from '../../events/app-events';
import type { BotDeletedEvent, BotUpdatedEvent } from '../../events/dingtalk-bot.events';
import { ClaimedNotification } from './queue/claimed-notification';

/**
 * How many bots' credentials are kept: the bots sent to lately, about 0.75 KB each (a webhook bot, measured in
 * Node 20's heap), so 15 MiB at most. Beyond it the bot least recently sent to is read again at its next send,
 * with the rest of its round's misses.
 */
const MAX_BOTS = 20_000;

interface Entry {
  version: string;
  bot: Promise<BotWithSecrets | null>;
}

/** A claim's bot, and the version of its row (`updated_at`) the claim read. */
type ClaimedBot = Pick<ClaimedNotification, 'botId' | 'botVersion'>;

/**
 * The bots' opened credentials, so that a send neither reads its bot again nor decrypts its secrets. An entry is
 * good for one version of the bot row (its `updated_at`, which every claim reads): a change made by any instance
 * shows up as a new version at the next claim. Local changes also drop their entry at once.
 *
 * The bots a round claimed are read together (`load`), one statement for all those missing or stale: with many
 * bots each is sent to about once, and a read per bot's first send made a transaction per report of its own
 * (docs/performance.md, "10,000 bots").
 */
@Injectable()
export class BotCredentialsCache {
  private readonly entries = new LRUCache<number, Entry>({ max: MAX_BOTS });

  constructor(private readonly bots: DingTalkBotService) {}

  /** The bot of a claim as its claim's version of the row; null when the bot is gone. */
  get(botId: number, version: string): Promise<BotWithSecrets | null> {
    const cached = this.entries.get(botId);
    const entry = cached?.version === version ? cached : this.read([{ botId, botVersion: version }])[0];
    return entry.bot;
  }

  /**
   * Before a round's sends: the bots of `claims` without an entry of their claim's version, read in one statement
   * (their apps in one more), each claim's entry set so that its `get` finds it.
   */
  load(claims: readonly ClaimedBot[]): void {
    this.read(claims.filter((claimed) => this.entries.get(claimed.botId)?.version !== claimed.botVersion));
  }

  @OnAppEvent(AppEvent.BotUpdated)
  onBotUpdated(event: BotUpdatedEvent): void {
    this.entries.delete(event.after.id);
  }

  @OnAppEvent(AppEvent.BotDeleted)
  onBotDeleted(event: BotDeletedEvent): void {
    this.entries.delete(event.bot.id);
  }

  /** One read of the bots of `claims`, an entry each for its claim's version (in their order). */
  private read(claims: readonly ClaimedBot[]): Entry[] {
    if (claims.length === 0) return [];
    const found = this.bots.findManyWithSecrets([...new Set(claims.map((claimed) => claimed.botId))]);
    return claims.map(({ botId, botVersion }) => {
      const entry: Entry = { version: botVersion, bot: found.then((bots) => bots.get(botId) ?? null) };
      this.entries.set(botId, entry);
      // A failed read is not kept: the next send reads again.
      entry.bot.catch(() => {
        if (this.entries.peek(botId) === entry) this.entries.delete(botId);
      });
      return entry;
    });
  }
}
