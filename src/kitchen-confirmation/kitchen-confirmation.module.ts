import { Module } from '@nestjs/common';
import { DingTalkBotModule } from '../dingtalk-bot/dingtalk-bot.module';
import { NotifyModule } from '../notify/notify.module';
import { ConfirmationEscalationJob } from './confirmation-escalation.job';
import { ConfirmationStepsRepository } from './confirmation-steps.repository';
import { ConfirmationLinkController } from './confirmation-link.controller';
import { ConfirmationLinks } from './confirmation-links';
import { ConfirmationRecorder } from './confirmation-recorder';
import { ConfirmationRepository } from './confirmation.repository';
import { ConfirmationSettingsController } from './confirmation-settings.controller';
import { ConfirmationSettingsRepository } from './confirmation-settings.repository';
import { ConfirmationSettingsService } from './confirmation-settings.service';
import { ConfirmationMetrics } from './confirmation.metrics';

/**
 * Kitchen confirmation (issue 22, docs/confirmation.md): a report's notifications carry buttons (a stream bot's
 * card, a webhook bot's ActionCard of signed links); a press is recorded once (ConfirmationRecorder, which the card
 * callback and the link route call), and an unconfirmed report is reminded, then escalated, through the outbox.
 * Its repository implements the ports through which reports write and show their confirmation
 * (src/composition.module.ts).
 */
@Module({
  imports: [DingTalkBotModule, NotifyModule],
  controllers: [ConfirmationSettingsController, ConfirmationLinkController],
  providers: [
    ConfirmationRecorder,
    ConfirmationMetrics,
    ConfirmationRepository,
    ConfirmationSettingsRepository,
    ConfirmationSettingsService,
    ConfirmationLinks,
    ConfirmationStepsRepository,
    ConfirmationEscalationJob,
  ],
  exports: [ConfirmationRecorder, ConfirmationRepository],
})
export class KitchenConfirmationModule {}
