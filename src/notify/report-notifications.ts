import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { Notification, NotificationStatus } from './entities/notification.entity';

export interface NotificationSummary {
  id: number;
  bot_id: number;
  status: NotificationStatus;
}

/** The notifications of menu reports, as the reports API shows them (SPEC §6). */
@Injectable()
export class ReportNotifications {
  constructor(@InjectRepository(Notification) private readonly notifications: Repository<Notification>) {}

  async summariesFor(reportIds: number[]): Promise<Map<number, NotificationSummary[]>> {
    const byReport = new Map<number, NotificationSummary[]>(reportIds.map((id) => [id, []]));
    if (reportIds.length === 0) return byReport;
    const rows = await this.notifications.find({
      where: { menuReportId: In(reportIds) },
      order: { id: 'ASC' },
      select: { id: true, botId: true, status: true, menuReportId: true },
    });
    for (const row of rows) byReport.get(row.menuReportId!)?.push(summary(row));
    return byReport;
  }
}

export function summary(row: Pick<Notification, 'id' | 'botId' | 'status'>): NotificationSummary {
  return { id: Number(row.id), bot_id: row.botId, status: row.status };
}
