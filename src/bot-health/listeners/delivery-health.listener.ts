import { Injectable } from '@nestjs/common';
import { DeliveryOutcome, DeliveryOutcomesEvent } from '../../events/bot-health.events';
import { AppEvent, OnAppEvent } from '../../events/app-events';
import { BotHealthRepository } from '../bot-health.repository';
import { BotHealthService } from '../bot-health.service';
import { deliverySignal } from '../health-signals';

/**
 * A bot's health follows what DingTalk answers its sends. Most answers are `ok` for a bot already healthy, which
 * changes nothing: one read per round finds the few bots whose row has something to clear, and only what changes
 * is written.
 */
@Injectable()
export class DeliveryHealthListener {
  constructor(
    private readonly health: BotHealthService,
    private readonly repository: BotHealthRepository,
  ) {}

  @OnAppEvent(AppEvent.DeliveryOutcomes)
  async onOutcomes({ outcomes }: DeliveryOutcomesEvent): Promise<void> {
    const latest = new Map<number, DeliveryOutcome>();
    for (const outcome of outcomes) {
      const known = latest.get(outcome.botId);
      if (!known || known.at <= outcome.at) latest.set(outcome.botId, outcome);
    }
    const accepted = [...latest.values()].filter((outcome) => outcome.outcome === 'ok').map((o) => o.botId);
    const withSignal = new Set(await this.repository.withDeliverySignal(accepted));
    // After the read: an observation of the bot still on its way here may be one that the read did not see.
    const observed = [...latest.values()].filter(
      (o) => o.outcome !== 'ok' || withSignal.has(o.botId) || this.health.busy(o.botId),
    );
    // A bot switched off is expected to do nothing (its signals were cleared): what its test button meets says
    // nothing of its health until it is switched on again.
    const switchedOff = new Set(await this.repository.switchedOff(observed.map((o) => o.botId)));
    await Promise.all(
      observed
        .filter((o) => !switchedOff.has(o.botId))
        .map((outcome) =>
          this.health.observe(outcome.botId, 'delivery', outcome.at, (previous) =>
            deliverySignal(outcome, previous),
          ),
        ),
    );
  }
}
