import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../../common/clock';
import type { BotDeletedEvent, BotUpdatedEvent } from '../../../events/dingtalk-bot.events';
import { AppEvent, OnAppEvent } from '../../../events/app-events';
import { DeliveryQueue } from '../queue/delivery-queue';

/**
 * A bot that was disabled, deleted or moved to another store has what waits for it skipped at once (for a moved
 * bot: what belongs to its old store), rather than at its next claim. (What is queued needs no listener: the outbox
 * wakes the dispatcher once it is committed, notification-outbox.ts.)
 */
@Injectable()
export class BotChangesListener {
  private readonly logger = new Logger(BotChangesListener.name);

  constructor(
    private readonly queue: DeliveryQueue,
    private readonly clock: Clock,
  ) {}

  @OnAppEvent(AppEvent.BotUpdated)
  async onBotUpdated(event: BotUpdatedEvent): Promise<void> {
    const disabled = event.before.isEnabled && !event.after.isEnabled;
    // A bot moved to another store sends to the new store's group: the old store's messages must not go there.
    const moved = event.before.storeId !== event.after.storeId;
    if (disabled || moved) await this.skipWaitingOf(event.after.id);
  }

  @OnAppEvent(AppEvent.BotDeleted)
  async onBotDeleted(event: BotDeletedEvent): Promise<void> {
    await this.skipWaitingOf(event.bot.id);
  }

  /** The change is committed already: a failure here is left to the queue's sweep, not to the caller. */
  private async skipWaitingOf(botId: number): Promise<void> {
    try {
      await this.queue.skipWaitingOf(botId, this.clock.now());
    } catch (error) {
      this.logger.error(
        `Skipping the waiting notifications of bot ${botId} failed: ${(error as Error).message}`,
      );
    }
  }
}
