import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Clock } from '../common/clock';
import { ClockScheduler } from '../common/scheduling/clock-scheduler';
import { BotHealthRepository } from './bot-health.repository';
import { BotHealthService } from './bot-health.service';
import { BotHealthSettingsRepository } from './settings/bot-health-settings.repository';

/** Name of the job in SchedulerRegistry. */
export const BOT_HEALTH_AGING = 'bot-health.aging';
/** How often time's part is looked at: a pause that ended, a connection down too long. */
export const AGING_PERIOD_MS = 10_000;

/**
 * What time alone does to a bot's health, since no event says it: a throttle or quota pause that ended, and a
 * Stream connection reconnecting for longer than the settings' unreachable_after_seconds (broken); and, as a
 * backstop, a bot switched off that is still said to be unhealthy (BotHealthService.age). Every instance runs it;
 * each change is made under the bot's row lock and re-checked there, so one instance makes it (and announces it).
 */
@Injectable()
export class BotHealthJob implements OnApplicationBootstrap {
  constructor(
    private readonly repository: BotHealthRepository,
    private readonly health: BotHealthService,
    private readonly settings: BotHealthSettingsRepository,
    private readonly clock: Clock,
    private readonly scheduler: ClockScheduler,
  ) {}

  onApplicationBootstrap(): void {
    this.scheduler.every(BOT_HEALTH_AGING, AGING_PERIOD_MS, (signal) => this.run(signal));
  }

  async run(signal?: AbortSignal): Promise<void> {
    const now = this.clock.now();
    const unreachableAfterMs = (await this.settings.get()).unreachableAfterSeconds * 1000;
    const candidates = await this.repository.agingCandidates(now, now - unreachableAfterMs);
    for (const botId of candidates) {
      if (signal?.aborted) return;
      await this.health.age(botId, now, unreachableAfterMs);
    }
  }
}
