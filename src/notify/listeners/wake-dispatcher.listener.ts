import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { AppEvent } from '../../events/app-events';
import { NotificationDispatcher } from '../delivery/notification-dispatcher';

/**
 * New notifications (a report's, a batch send's) leave at once: the events come after the transaction that
 * wrote them committed (menu-report.service.ts, batch-send.service.ts), so the dispatcher finds them.
 */
@Injectable()
export class WakeDispatcherListener {
  constructor(private readonly dispatcher: NotificationDispatcher) {}

  @OnEvent(AppEvent.MenuReportCreated)
  onReportCreated(): void {
    this.dispatcher.wake();
  }

  @OnEvent(AppEvent.NotificationsQueued)
  onNotificationsQueued(): void {
    this.dispatcher.wake();
  }
}
