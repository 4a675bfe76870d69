import type { EntityManager } from 'typeorm';
import type { NotificationStatus } from './notification.events';

/** A menu report as its event carries it: the columns, not the entity class (features import this folder). */
export interface ReportedDish {
  id: number;
  storeId: number;
  dishId: number | null;
  dishName: string | null;
  quantity: number;
  unit: string;
  remark: string | null;
  reportedBy: string;
  source: 'api' | 'dingtalk';
  createdAt: Date;
}

/** One notification a listener wrote for the report, as the reports API answers it. */
export interface ReportNotificationRef {
  id: string;
  botId: number;
  status: NotificationStatus;
}

/**
 * `menu_report.created`: emitted INSIDE the transaction that wrote the report, so that what the report causes is
 * committed with it (a 201 means its notifications are in the database). A listener writes through `manager`,
 * adds what it wrote to `notifications`, and registers work that must wait for the commit (waking the dispatcher)
 * with `afterCommit`. A listener that throws rolls the report back: the client gets an error and nothing is kept.
 */
export interface MenuReportCreatedEvent {
  report: ReportedDish;
  manager: EntityManager;
  notifications: ReportNotificationRef[];
  afterCommit(task: () => void): void;
}
