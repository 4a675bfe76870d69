import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BatchSendController } from './batch-send/batch-send.controller';
import { BatchSendService } from './batch-send/batch-send.service';
import { NotificationAttempt } from './entities/notification-attempt.entity';
import { Notification } from './entities/notification.entity';
import { NotificationPlanner } from './notification-planner';
import { ReportNotifications } from './report-notifications';

/** Notifications: planned with what causes them, then delivered to DingTalk (SPEC §7). */
@Module({
  imports: [TypeOrmModule.forFeature([Notification, NotificationAttempt])],
  controllers: [BatchSendController],
  providers: [NotificationPlanner, ReportNotifications, BatchSendService],
  exports: [NotificationPlanner, ReportNotifications],
})
export class NotifyModule {}
