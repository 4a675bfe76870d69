import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import type { ReportNotificationRef } from '../events/menu-report.events';
import { ReportNotificationsPort, ReportNotificationsReader } from '../menu-report/report-notifications.port';
import { Notification } from './entities/notification.entity';

/** The notifications of menu reports, for the reports API (registered with its port at start-up). */
@Injectable()
export class ReportNotifications implements ReportNotificationsReader, OnModuleInit {
  constructor(
    @InjectRepository(Notification) private readonly notifications: Repository<Notification>,
    private readonly port: ReportNotificationsPort,
  ) {}

  onModuleInit(): void {
    this.port.register(this);
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
