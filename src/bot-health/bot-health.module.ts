import { Module } from '@nestjs/common';
import { BotHealthJob } from './bot-health.job';
import { BotHealthMetrics } from './bot-health.metrics';
import { BotHealthRepository } from './bot-health.repository';
import { BotHealthService } from './bot-health.service';
import { BotHealthStatusContributor } from './bot-health-status.contributor';
import { BotLifecycleListener } from './listeners/bot-lifecycle.listener';
import { ConnectionHealthListener } from './listeners/connection-health.listener';
import { DeliveryHealthListener } from './listeners/delivery-health.listener';
import { BotHealthSettingsController } from './settings/bot-health-settings.controller';
import { BotHealthSettingsRepository } from './settings/bot-health-settings.repository';
import { BotHealthSettingsService } from './settings/bot-health-settings.service';

/**
 * Each bot's health, judged where delivery and connections already know it (their events), kept in its own table
 * and shown in the bots' status and lists and in /metrics (docs/bot-health.md).
 */
@Module({
  controllers: [BotHealthSettingsController],
  providers: [
    BotHealthSettingsRepository,
    BotHealthSettingsService,
    BotHealthRepository,
    BotHealthService,
    BotHealthStatusContributor,
    BotHealthJob,
    BotHealthMetrics,
    BotLifecycleListener,
    ConnectionHealthListener,
    DeliveryHealthListener,
  ],
  exports: [BotHealthRepository, BotHealthStatusContributor],
})
export class BotHealthModule {}
