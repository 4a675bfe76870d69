import { Module } from '@nestjs/common';
import { SecretBox } from '../common/crypto/secret-box';
import { NotifyModule } from '../notify/notify.module';
import { AlertDestinationRepository } from './alerts/alert-destination.repository';
import { AlertDestinationsController } from './alerts/alert-destinations.controller';
import { AlertDestinationsService } from './alerts/alert-destinations.service';
import { AlertJob } from './alerts/alert.job';
import { AlertWebhookRepository } from './alerts/alert-webhook.repository';
import { AlertWebhookSender } from './alerts/alert-webhook.sender';
import { AlertsRepository } from './alerts/alerts.repository';
import { BotAlertsController } from './alerts/bot-alerts.controller';
import { BotAlertsService } from './alerts/bot-alerts.service';
import { BotHealthJob } from './bot-health.job';
import { BotHealthMetrics } from './bot-health.metrics';
import { BotHealthRepository } from './bot-health.repository';
import { BotHealthService } from './bot-health.service';
import { BotHealthStatusContributor } from './bot-health-status.contributor';
import { BotLifecycleListener } from './listeners/bot-lifecycle.listener';
import { ConnectionHealthListener } from './listeners/connection-health.listener';
import { SendHealthWriter } from './send-health.writer';
import { BotHealthSettingsController } from './settings/bot-health-settings.controller';
import { BotHealthSettingsRepository } from './settings/bot-health-settings.repository';
import { BotHealthSettingsService } from './settings/bot-health-settings.service';

/**
 * Each bot's health, judged where delivery and connections already know it (the recording of sends, the connections' events), kept in its own table
 * and shown in the bots' status and lists and in /metrics; and the alerts when a bot breaks and recovers, to the
 * destinations an admin configures: bots of this service through the outbox, signed webhooks (docs/bot-health.md).
 */
@Module({
  imports: [NotifyModule],
  controllers: [BotHealthSettingsController, AlertDestinationsController, BotAlertsController],
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
    SendHealthWriter,
    AlertDestinationRepository,
    AlertDestinationsService,
    AlertsRepository,
    BotAlertsService,
    AlertWebhookRepository,
    AlertWebhookSender,
    AlertJob,
    SecretBox,
  ],
  exports: [BotHealthRepository, BotHealthStatusContributor, SendHealthWriter],
})
export class BotHealthModule {}
