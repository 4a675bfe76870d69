import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import type { ReportNotificationRef } from '../events/menu-report.events';
import {
  PreparedReportNotifications,
  ReportNotificationsPort,
} from '../menu-report/report-notifications.port';
import { Notification } from './entities/notification.entity';
import { NotificationPlanner } from './notification-planner';

/**
 * The notifications of menu reports, for the reports API (its ReportNotificationsPort, bound in
 * src/composition.module.ts): written with the report, in its statement, and read for its answers.
 */
@Injectable()
export class ReportNotifications implements ReportNotificationsPort {
  constructor(
    @InjectRepository(Notification) private readonly notifications: Repository<Notification>,
    private readonly planner: NotificationPlanner,
  ) {}

  async prepare(manager: EntityManager, storeId: number): Promise<PreparedReportNotifications> {
    const plan = await this.planner.readForReport(manager, storeId);
    return {
      reportId: plan.reportId,
      // Once committed, the outbox wakes the dispatcher (NotificationOutbox: the one wake signal).
      write: (writer, report, row) => {
        // A store whose kitchen confirms writes the report's confirmation after its notifications: two statements,
        // so a transaction of their own unless the caller has one (on the caller's connection: TypeORM's
        // transaction on a manager with a query runner uses it). Other stores keep the one statement.
        if (!plan.confirmation || writer.queryRunner?.isTransactionActive) {
          return this.planner.writeForReport(writer, plan, report, row);
        }
        return writer.transaction((inTransaction) =>
          this.planner.writeForReport(inTransaction, plan, report, row),
        );
      },
    };
  }

  async forReports(reportIds: readonly number[]): Promise<Map<number, ReportNotificationRef[]>> {
    const byReport = new Map<number, ReportNotificationRef[]>(reportIds.map((id) => [id, []]));
    if (reportIds.length === 0) return byReport;
    const rows = await this.notifications.find({
      where: { menuReportId: In([...reportIds]) },
      order: { id: 'ASC' },
      select: { id: true, botId: true, status: true, menuReportId: true },
    });
    for (const row of rows)
      byReport.get(row.menuReportId!)?.push({ id: row.id, botId: row.botId, status: row.status });
    return byReport;
  }
}
