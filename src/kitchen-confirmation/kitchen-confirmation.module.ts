import { Module } from '@nestjs/common';
import { ConfirmationRecorder } from './confirmation-recorder';
import { ConfirmationMetrics } from './confirmation.metrics';

/**
 * Kitchen confirmation (issue 22, docs/confirmation.md): a report's notifications carry buttons (a stream bot's
 * card, a webhook bot's ActionCard of signed links); a press is recorded once (ConfirmationRecorder, which the card
 * callback and the link route call), and an unconfirmed report is reminded, then escalated, through the outbox.
 */
@Module({
  providers: [ConfirmationRecorder, ConfirmationMetrics],
  exports: [ConfirmationRecorder],
})
export class KitchenConfirmationModule {}
