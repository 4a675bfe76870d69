import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { botKind } from '../../dingtalk-bot/bot-kinds';
import { AppEvent, OnAppEvent } from '../../events/app-events';
import { BotCreatedEvent, BotUpdatedEvent } from '../../events/dingtalk-bot.events';
import { BotHealthService } from '../bot-health.service';

/**
 * A new bot is healthy. A bot switched off is expected to do nothing, so nothing is wrong with it any more: its
 * signals go (and come back with its next send or connection once it is switched on), and so does an alert told of
 * it, without a recovery. A bot whose kind keeps no connection any more loses its connection's signal. A deleted
 * bot's row goes with it (the foreign key).
 *
 * After the bot's change commits (the bots' module knows nothing of health). Should this process stop in between,
 * what is left is harmless: the recording of sends writes a missing row itself and says nothing of a bot switched
 * off, and the alert job neither alerts nor reminds about one, closing its open alert (alert.job.ts).
 */
@Injectable()
export class BotLifecycleListener {
  constructor(
    private readonly health: BotHealthService,
    private readonly clock: Clock,
  ) {}

  @OnAppEvent(AppEvent.BotCreated)
  async onCreated({ bot }: BotCreatedEvent): Promise<void> {
    await this.health.added(bot.id, this.clock.now());
  }

  @OnAppEvent(AppEvent.BotUpdated)
  async onUpdated({ before, after }: BotUpdatedEvent): Promise<void> {
    const now = this.clock.now();
    if (before.isEnabled && !after.isEnabled) {
      await this.health.clear(after.id, ['delivery', 'connection'], now, true);
    } else if (!botKind(after.botType).connection) {
      await this.health.clear(after.id, ['connection'], now);
    }
  }
}
