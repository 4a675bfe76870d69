import type { NotificationStatus } from './notification.events';

/** A menu report as the notify module renders it: the columns, not the entity class (features import this folder). */
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

/** One notification written with the report, as the reports API answers it. */
export interface ReportNotificationRef {
  id: string;
  botId: number;
  status: NotificationStatus;
  /** Written with a kitchen confirmation (docs/confirmation.md): the report's answer reads it. */
  confirmation?: boolean;
}
