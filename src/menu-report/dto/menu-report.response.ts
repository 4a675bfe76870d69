import { ApiProperty } from '@nestjs/swagger';
import { NOTIFICATION_STATUSES, NotificationStatus } from '../../events/notification.events';
import { REPORT_SOURCES, ReportSource } from '../entities/menu-report.entity';

/** `?confirmation=` of the reports' and the delivery log's lists (docs/confirmation.md). */
export const CONFIRMATION_FILTERS = ['unconfirmed', 'confirmed'] as const;
export type ConfirmationFilter = (typeof CONFIRMATION_FILTERS)[number];

/** `off`: the store's kitchen confirmation was off when the report was made (nothing was asked). */
export const NOTIFICATION_CONFIRMATION_STATUSES = [
  'off',
  'not_requested',
  'unconfirmed',
  'confirmed',
] as const;
export type NotificationConfirmationStatus = (typeof NOTIFICATION_CONFIRMATION_STATUSES)[number];

/** Kitchen confirmation of one bot's notification of a report (docs/confirmation.md). */
export class NotificationConfirmationResponse {
  @ApiProperty({
    enum: NOTIFICATION_CONFIRMATION_STATUSES,
    example: 'confirmed',
    description:
      "`off`: the store's confirmation was off when the report was made; `not_requested`: this bot cannot carry " +
      'buttons (`reason` says why)',
  })
  status: NotificationConfirmationStatus;
  @ApiProperty({ type: String, nullable: true, example: null })
  reason: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'received',
    description: 'The furthest button pressed',
  })
  action: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'chef01',
    description: "DingTalk userid; 'link' for a link",
  })
  by_user_id: string | null;
  @ApiProperty({ type: String, nullable: true, example: '张师傅' })
  by_name: string | null;
  @ApiProperty({ enum: ['card', 'link', null], nullable: true, example: 'card' })
  via: 'card' | 'link' | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '2026-11-24T08:03:10.000Z',
    description: 'First press',
  })
  confirmed_at: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '2026-11-24T08:03:10.000Z',
    description: 'Last step',
  })
  action_at: string | null;
}

export const CONFIRMATION_STEP_STATES = ['none', 'pending', 'sent', 'cancelled', 'skipped'] as const;
export type ConfirmationStepState = (typeof CONFIRMATION_STEP_STATES)[number];

/** Kitchen confirmation of a report: confirmed by the first press on any of its notifications. */
export class ReportConfirmationResponse {
  @ApiProperty({
    enum: NOTIFICATION_CONFIRMATION_STATUSES,
    example: 'unconfirmed',
    description:
      "`off`: the store's confirmation was off when the report was made; `not_requested`: none of its bots could " +
      'carry buttons (each notification says why)',
  })
  status: NotificationConfirmationStatus;
  @ApiProperty({ type: String, nullable: true, example: 'ready' })
  action: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'chef01' })
  by_user_id: string | null;
  @ApiProperty({ type: String, nullable: true, example: '张师傅' })
  by_name: string | null;
  @ApiProperty({ enum: ['card', 'link', null], nullable: true, example: 'card' })
  via: 'card' | 'link' | null;
  @ApiProperty({ type: String, nullable: true, example: '2026-11-24T08:03:10.000Z' })
  confirmed_at: string | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 190, description: 'Seconds from the report' })
  seconds_to_confirm: number | null;
  @ApiProperty({ type: String, nullable: true, example: '2026-11-24T08:10:00.000Z' })
  reminder_due_at: string | null;
  @ApiProperty({ enum: CONFIRMATION_STEP_STATES, example: 'cancelled' })
  reminder: ConfirmationStepState;
  @ApiProperty({ type: String, nullable: true, example: '2026-11-24T08:20:00.000Z' })
  escalation_due_at: string | null;
  @ApiProperty({ enum: CONFIRMATION_STEP_STATES, example: 'cancelled' })
  escalation: ConfirmationStepState;
}

export class ReportNotificationSummary {
  @ApiProperty({ type: 'integer', example: 17 })
  id: number;
  @ApiProperty({ type: 'integer', example: 1 })
  bot_id: number;
  @ApiProperty({ enum: NOTIFICATION_STATUSES, example: 'pending' })
  status: NotificationStatus;
  // A $ref alone (a description beside it would turn it into an allOf): the class says what it is.
  @ApiProperty({ type: NotificationConfirmationResponse })
  confirmation: NotificationConfirmationResponse;
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
  @ApiProperty({ type: ReportConfirmationResponse })
  confirmation: ReportConfirmationResponse;
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

/** The confirmation of a report, or of one of its notifications, whose store asked for none. */
export const CONFIRMATION_OFF: NotificationConfirmationResponse = {
  status: 'off',
  reason: null,
  action: null,
  by_user_id: null,
  by_name: null,
  via: null,
  confirmed_at: null,
  action_at: null,
};
export const REPORT_CONFIRMATION_OFF: ReportConfirmationResponse = {
  status: 'off',
  action: null,
  by_user_id: null,
  by_name: null,
  via: null,
  confirmed_at: null,
  seconds_to_confirm: null,
  reminder_due_at: null,
  reminder: 'none',
  escalation_due_at: null,
  escalation: 'none',
};
