import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { AppEvent } from '../../events/app-events';
import type { MenuReportCreatedEvent } from '../../events/menu-report.events';
import { NotificationDispatcher } from '../delivery/notification-dispatcher';
import { NotificationPlanner } from '../notification-planner';

/**
 * Writes a new report's notifications in the report's own transaction (the event comes from inside it), and wakes
 * the dispatcher once that transaction has committed, when there is something to send.
 * `suppressErrors: false`: a failure here must roll the report back rather than be logged and forgotten — otherwise
 * the client would get a 201 for a report that notifies nobody.
 */
@Injectable()
export class PlanReportNotificationsListener {
  constructor(
    private readonly planner: NotificationPlanner,
    private readonly dispatcher: NotificationDispatcher,
  ) {}

  @OnEvent(AppEvent.MenuReportCreated, { suppressErrors: false })
  async onReportCreated(event: MenuReportCreatedEvent): Promise<void> {
    const queued = await this.planner.planForReport(event.manager, event.report);
    event.notifications.push(...queued);
    if (queued.some((row) => row.status === 'pending')) event.afterCommit(() => this.dispatcher.wake());
  }
}
