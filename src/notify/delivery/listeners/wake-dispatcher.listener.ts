import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../../common/clock';
import type { BotDeletedEvent, BotUpdatedEvent } from '../../../events/dingtalk-bot.events';
import { AppEvent, OnAppEvent } from '../../../events/app-events';
import { DeliveryQueue } from '../queue/delivery-queue';
import { NotificationDispatcher } from '../dispatcher/notification-dispatcher';

/**
 * A batch send's or a resend's notifications leave at once: the event comes after the transaction that wrote them
 * committed (batch-send.service.ts), so the dispatcher finds them (a report's wakes it once its statement has
 * committed: report-notifications.ts). A bot that was disabled, deleted or moved to another store has
 * what waits for it skipped at once (for a moved bot: what belongs to its old store).
 */
@Injectable()
export class WakeDispatcherListener {
  private readonly logger = new Logger(WakeDispatcherListener.name);

  constructor(
    private readonly dispatcher: NotificationDispatcher,
    private readonly queue: DeliveryQueue,
    private readonly clock: Clock,
  ) {}

  @OnAppEvent(AppEvent.NotificationsQueued)
  onNotificationsQueued(): void {
    this.dispatcher.wake();
  }

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
