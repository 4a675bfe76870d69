import { ApiProperty } from '@nestjs/swagger';
import { DingTalkAnswerCodes } from '../../../dingtalk-bot/dto/bot-test-result.response';
import { SENT_MSG_TYPES, SentMsgType } from '../../../dingtalk/outgoing-message';
import { NotificationConfirmationResponse } from '../../../menu-report/dto/menu-report.response';
import { NOTIFICATION_STATUSES, NotificationStatus } from '../../../events/notification.events';
import { RECIPIENT_OUTCOMES, RecipientOutcomeKind } from '../../../dingtalk/recipient-outcomes';
import { NOTIFICATION_KINDS, NotificationKind } from '../../entities/notification.entity';
import type { DeliveryTarget } from '../../../dingtalk-bot/bot-sender';

export const TARGET_STATUSES = [
  'sent',
  'partial',
  'unconfirmed',
  'pending',
  'failed',
  'skipped',
  'merged',
] as const;
export type TargetStatus = (typeof TARGET_STATUSES)[number];

/** How one target of a stream bot stands: its users (a work notification) or its group. */
export class NotificationTargetResponse {
  @ApiProperty({ enum: ['users', 'group'], example: 'users' })
  target: DeliveryTarget;
  @ApiProperty({
    enum: TARGET_STATUSES,
    example: 'partial',
    description:
      'sent: every user has it (users), DingTalk took it (group); partial: some users did not get it and sending again ' +
      'would not reach them (see recipients); unconfirmed: DingTalk took it but never said whether some users got it; ' +
      'pending: still to send; failed / skipped / merged: as the notification',
  })
  status: TargetStatus;
}

/** What became of a work notification for one user, as DingTalk's getsendresult told it. */
export class NotificationRecipientResponse extends DingTalkAnswerCodes {
  @ApiProperty({ type: String, example: 'manager01' })
  user_id: string;
  @ApiProperty({
    enum: RECIPIENT_OUTCOMES,
    example: 'forbidden',
    description:
      'delivered: in the user’s chat; invalid: unknown to the organisation; forbidden: held back by a DingTalk limit ' +
      '(errcode 143105 the user’s daily quota, 143106 the same content twice a day, 143103/143104 the app’s per-minute ' +
      'quota, which a retry gets past); failed: DingTalk failed it (retried); unconfirmed: DingTalk never said; ' +
      'unanswered: the send had no answer, DingTalk may have it (retried; a repeat DingTalk drops as the same ' +
      'content, 143106, means the earlier send arrived: delivered)',
  })
  outcome: RecipientOutcomeKind;
}

/** One notification in the delivery log (README: "The delivery log"; docs/api.md). */
export class NotificationResponse {
  @ApiProperty({ type: 'integer', example: 17 })
  id: number;
  @ApiProperty({ type: 'integer', example: 1 })
  bot_id: number;
  @ApiProperty({ type: 'integer', example: 1 })
  store_id: number;
  @ApiProperty({ nullable: true, type: 'integer', example: 5 })
  menu_report_id: number | null;
  @ApiProperty({ enum: NOTIFICATION_KINDS, example: 'menu_report' })
  kind: NotificationKind;
  @ApiProperty({
    enum: NOTIFICATION_STATUSES,
    example: 'sent',
    description:
      'pending: queued, or waiting for the bot’s rate limit or throttle pause; retrying: a transient error, next try at ' +
      'next_attempt_at; sent; failed: permanent error or retries exhausted (see hint); merged: folded into merged_into; skipped',
  })
  status: NotificationStatus;
  @ApiProperty({ enum: SENT_MSG_TYPES, example: 'markdown' })
  msg_type: SentMsgType;
  @ApiProperty({ type: String, example: '报菜通知：宫保鸡丁 50 份' })
  title: string;
  @ApiProperty({ type: String, example: '#### 报菜通知 · 门店 1\n- **菜品**：宫保鸡丁' })
  content: string;
  @ApiProperty({
    type: 'integer',
    example: 1,
    description: 'Attempts spent (a throttled answer spends none)',
  })
  attempt_count: number;
  @ApiProperty({ type: String, example: '2026-11-24T08:00:00.000Z' })
  next_attempt_at: string;
  @ApiProperty({
    nullable: true,
    type: String,
    example: null,
    description: 'What DingTalk answered last time',
  })
  last_error: string | null;
  @ApiProperty({ nullable: true, type: String, example: null, description: 'What to fix, in plain words' })
  hint: string | null;
  @ApiProperty({
    type: [NotificationTargetResponse],
    description: 'A stream bot’s targets and how each stands after the last attempt; empty for a webhook bot',
  })
  targets: NotificationTargetResponse[];
  @ApiProperty({
    type: [NotificationRecipientResponse],
    description:
      'A stream bot’s users and what became of the work notification for each; empty until it was sent',
  })
  recipients: NotificationRecipientResponse[];
  /** A report's kitchen confirmation on this bot (docs/confirmation.md); `off` for anything else. */
  @ApiProperty({ type: NotificationConfirmationResponse })
  confirmation: NotificationConfirmationResponse;
  @ApiProperty({ nullable: true, type: 'integer', example: null })
  merged_into: number | null;
  @ApiProperty({ nullable: true, type: String, example: '2026-11-24T08:00:01.000Z' })
  sent_at: string | null;
  @ApiProperty({ type: String, example: '2026-11-24T08:00:00.000Z' })
  created_at: string;
  @ApiProperty({ type: String, example: '2026-11-24T08:00:01.000Z' })
  updated_at: string;
}

/** One call to DingTalk for a notification. */
export class NotificationAttemptResponse extends DingTalkAnswerCodes {
  @ApiProperty({ type: String, example: '2026-11-24T08:00:00.000Z' })
  at: string;
  @ApiProperty({ enum: ['ok', 'throttled', 'transient', 'permanent', 'token_expired'], example: 'ok' })
  outcome: string;
  @ApiProperty({ nullable: true, type: 'integer', example: 200 })
  http_status: number | null;
  @ApiProperty({ nullable: true, type: String, example: 'ok' })
  errmsg: string | null;
  @ApiProperty({ nullable: true, type: 'integer', example: 42 })
  latency_ms: number | null;
}

export class NotificationDetailResponse extends NotificationResponse {
  @ApiProperty({ type: [NotificationAttemptResponse], description: 'Every attempt, oldest first' })
  attempts: NotificationAttemptResponse[];
}
