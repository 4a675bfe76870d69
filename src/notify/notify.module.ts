import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BatchSendController } from './notifications/batch-send/batch-send.controller';
import { BatchSendService } from './notifications/batch-send/batch-send.service';
import { DingTalkBotModule } from '../dingtalk-bot/dingtalk-bot.module';
import { MenuReportModule } from '../menu-report/menu-report.module';
import { BotCredentialsCache } from './delivery/bot-credentials.cache';
import { DeliveryMetrics } from './delivery/delivery-metrics';
import { ClaimRepository } from './delivery/queue/claim.repository';
import { DeliveryQueue } from './delivery/queue/delivery-queue';
import { DeliveryStateRepository } from './delivery/queue/delivery-state.repository';
import { DigestFoldRepository } from './delivery/queue/digest-fold.repository';
import { LeaseRepository } from './delivery/queue/lease.repository';
import { OutboxRepository } from './delivery/queue/outbox.repository';
import { QueueUpkeepRepository } from './delivery/queue/queue-upkeep.repository';
import { RateWindowRepository } from './delivery/queue/rate-window.repository';
import { RecordingRepository } from './delivery/queue/recording.repository';
import { DeliveryStatusContributor } from './delivery/delivery-status.contributor';
import { LateResults } from './delivery/dispatcher/late-results';
import { NotificationDispatcher } from './delivery/dispatcher/notification-dispatcher';
import { SendAttempts } from './delivery/dispatcher/send-attempt';
import { ClaimSender } from './delivery/claim-sender';
import { NotificationExpiryJob } from './delivery/notification-expiry.job';
import { TestSendService } from './delivery/test-send.service';
import { NotificationAttempt } from './entities/notification-attempt.entity';
import { Notification } from './entities/notification.entity';
import { BotChangesListener } from './delivery/listeners/bot-changes.listener';
import { NotificationOutbox } from './notification-outbox';
import { NotificationPlanner } from './notification-planner';
import { NotificationsController } from './notifications/notifications.controller';
import { NotificationsService } from './notifications/notifications.service';
import { StoreDeliveryCountsRepository } from './notifications/store-delivery-counts.repository';
import { ReportNotifications } from './report-notifications';
import { BotSendersModule } from './senders/bot-senders.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';

/**
 * Notifications: written in the transaction of what causes them (a report's in the report's own statement, through
 * ReportNotificationsPort; a batch send, a summary through NotificationOutbox), then delivered to DingTalk. It
 * implements ports other modules declare (the reports' notifications, the bots' test button and status), exported
 * for src/composition.module.ts to bind.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([Notification, NotificationAttempt]),
    DingTalkBotModule,
    MenuReportModule,
    BotSendersModule,
    IdempotencyModule,
  ],
  controllers: [BatchSendController, NotificationsController],
  providers: [
    NotificationsService,
    BatchSendService,
    NotificationOutbox,
    NotificationPlanner,
    ReportNotifications,
    DeliveryQueue,
    ClaimRepository,
    DigestFoldRepository,
    LeaseRepository,
    RecordingRepository,
    RateWindowRepository,
    QueueUpkeepRepository,
    DeliveryStateRepository,
    OutboxRepository,
    DeliveryMetrics,
    DeliveryStatusContributor,
    NotificationDispatcher,
    LateResults,
    SendAttempts,
    ClaimSender,
    NotificationExpiryJob,
    BotCredentialsCache,
    TestSendService,
    BotChangesListener,
    StoreDeliveryCountsRepository,
  ],
  exports: [
    NotificationOutbox,
    NotificationDispatcher,
    ReportNotifications,
    TestSendService,
    DeliveryStatusContributor,
    StoreDeliveryCountsRepository,
  ],
})
export class NotifyModule {}
