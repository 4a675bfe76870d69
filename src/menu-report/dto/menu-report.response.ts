import { ApiProperty } from '@nestjs/swagger';
import { NOTIFICATION_STATUSES, NotificationStatus } from '../../events/notification.events';
import { REPORT_SOURCES, ReportSource } from '../entities/menu-report.entity';

export class ReportNotificationSummary {
  @ApiProperty({ type: 'integer', example: 17 })
  id: number;
  @ApiProperty({ type: 'integer', example: 1 })
  bot_id: number;
  @ApiProperty({ enum: NOTIFICATION_STATUSES, example: 'pending' })
  status: NotificationStatus;
}

export class MenuReportResponse {
  @ApiProperty({ type: 'integer', example: 5 })
  id: number;
  @ApiProperty({ type: 'integer', example: 1 })
  store_id: number;
  @ApiProperty({ nullable: true, type: 'integer', example: 12 })
  dish_id: number | null;
  @ApiProperty({ nullable: true, type: String, example: '宫保鸡丁' })
  dish_name: string | null;
  @ApiProperty({ type: Number, example: 50 })
  quantity: number;
  @ApiProperty({ type: String, example: '份' })
  unit: string;
  @ApiProperty({ nullable: true, type: String, example: '少辣' })
  remark: string | null;
  @ApiProperty({
    type: String,
    example: 'store-manager-1',
    description: "The token's sub, or the DingTalk staff member",
  })
  reported_by: string;
  @ApiProperty({ enum: REPORT_SOURCES, example: 'api' })
  source: ReportSource;
  @ApiProperty({ type: String, example: '2026-11-24T08:00:00.000Z' })
  created_at: string;
  @ApiProperty({
    type: [ReportNotificationSummary],
    description: 'One per enabled bot of the store when the report was made',
  })
  notifications: ReportNotificationSummary[];
}

/** The answer to a new report: the report, and what the caller should know about it. */
export class CreatedMenuReportResponse extends MenuReportResponse {
  @ApiProperty({
    type: [String],
    example: [
      'Store 1 has no enabled DingTalk bot: the report is stored, but nobody was notified. Add a bot for the store ' +
        '(POST /api/v1/dingtalk-bots) or enable one (PUT /api/v1/dingtalk-bots/{id} with is_enabled: true).',
    ],
    description:
      'Sentences about the report that are not errors: empty when all is well. A report for a store without an ' +
      'enabled bot is stored (201) with no notifications, and says so here; so does one whose notifications of ' +
      'some bots are `skipped` because those bots have nowhere to send (a stream bot without user_ids or ' +
      'open_conversation_id), naming them.',
  })
  warnings: string[];
}
