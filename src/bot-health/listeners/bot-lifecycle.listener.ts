import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { botKind } from '../../dingtalk-bot/bot-kinds';
import { AppEvent, OnAppEvent } from '../../events/app-events';
import { BotCreatedEvent, BotUpdatedEvent } from '../../events/dingtalk-bot.events';
import { BotHealthService } from '../bot-health.service';
import { HealthSource } from '../health-signals';

/**
 * A new bot is healthy. A bot switched off is expected to do nothing, so nothing is wrong with it any more: its
 * signals go (and come back with its next send or connection once it is switched on). A bot whose kind keeps no
 * connection any more loses its connection's signal. A deleted bot's row goes with it (the foreign key).
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
    const cleared: HealthSource[] = [];
    if (before.isEnabled && !after.isEnabled) cleared.push('delivery', 'connection');
    else if (!botKind(after.botType).connection) cleared.push('connection');
    if (cleared.length > 0) await this.health.clear(after.id, cleared, this.clock.now());
  }
}
