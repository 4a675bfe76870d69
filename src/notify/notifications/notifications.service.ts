import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { AuthUser } from '../../auth/auth-user';
import { assertCanSee, storesToList } from '../../auth/store-scope';
import { whereCreatedOnDays } from '../../common/http/day-range.query';
import { Page, pageWindow } from '../../common/http/pagination.dto';
import { AppConfig } from '../../config/app-config';
import { splitErrcode } from '../../dingtalk/errcode';
import { NotificationOutbox } from '../notification-outbox';
import { ListNotificationsQuery } from './dto/list-notifications.query';
import { NotificationStatus } from '../../events/notification.events';
import {
  NotificationAttemptResponse,
  NotificationDetailResponse,
  NotificationResponse,
  TargetStatus,
} from './dto/notification.response';
import { NotificationAttempt } from '../entities/notification-attempt.entity';
import { Notification } from '../entities/notification.entity';
import { UsersStanding } from '../../dingtalk-bot/bot-sender';
import {
  CONFIRMATION_OFF,
  NotificationConfirmationResponse,
} from '../../menu-report/dto/menu-report.response';
import { REPORT_CONFIRMATIONS, ReportConfirmations } from '../report-confirmations';

/** The delivery log: the notifications of the stores a caller manages, their attempts, resend. */
@Injectable()
export class NotificationsService {
  constructor(
    @InjectRepository(Notification) private readonly notifications: Repository<Notification>,
    private readonly outbox: NotificationOutbox,
    private readonly config: AppConfig,
    @Inject(REPORT_CONFIRMATIONS) private readonly confirmations: ReportConfirmations,
  ) {}

  async list(user: AuthUser, query: ListNotificationsQuery): Promise<Page<NotificationResponse>> {
    const stores = storesToList(user, query.store_id);
    if (stores?.length === 0) return new Page([], 0, query);
    const builder = this.notifications.createQueryBuilder('n');
    if (stores) builder.andWhere('n.storeId IN (:...stores)', { stores });
    if (!seesAlerts(user)) builder.andWhere("n.kind <> 'alert'");
    if (query.bot_id !== undefined) builder.andWhere('n.botId = :botId', { botId: query.bot_id });
    if (query.status !== undefined) builder.andWhere('n.status = :status', { status: query.status });
    if (query.kind !== undefined) builder.andWhere('n.kind = :kind', { kind: query.kind });
    if (query.menu_report_id !== undefined) {
      builder.andWhere('n.menuReportId = :reportId', { reportId: query.menu_report_id });
    }
    whereCreatedOnDays(builder, 'n.createdAt', {
      from: query.date_from,
      to: query.date_to,
      zone: this.config.reportTimeZone,
    });
    if (query.confirmation) {
      builder.andWhere(this.confirmations.notificationCondition('n.id', query.confirmation));
    }
    const { skip, take } = pageWindow(query);
    const [rows, total] = await builder.orderBy('n.id', 'DESC').skip(skip).take(take).getManyAndCount();
    const confirmations = await this.confirmationsOf(rows);
    return new Page(
      rows.map((row) => toResponse(row, confirmations.get(row.id))),
      total,
      query,
    );
  }

  async get(user: AuthUser, id: string): Promise<NotificationDetailResponse> {
    return this.detail(this.notifications.manager, user, id);
  }

  /**
   * Queues the notification again through the outbox (NotificationOutbox.requeue), due now, with a fresh retry
   * schedule; its attempts so far stay in the log. A notification being sent at this moment cannot be resent until
   * that send is over (409), nor a test message (409). A late result of an earlier send no longer matches it (the
   * attempt is still logged).
   */
  async resend(user: AuthUser, id: string): Promise<NotificationDetailResponse> {
    const { botId, status, mergedInto, kind } = await this.findVisible(user, id);
    if (kind === 'test') {
      // Sent once, by the click that wrote it: the queue never sends a test message (test-send.service.ts).
      throw new ConflictException(
        `Notification ${id} is a test message: it is sent once, by the test button; press it again ` +
          `(POST /api/v1/dingtalk-bots/${botId}/test)`,
      );
    }
    if (status === 'merged') await this.assertDigestDidNotCarry(id, mergedInto);
    return this.notifications.manager.transaction(async (manager) => {
      switch (await this.outbox.requeue(manager, id, botId)) {
        case 'bot_deleted':
          throw new ConflictException(
            `Notification ${id} cannot be sent again: its bot ${botId} was deleted`,
          );
        case 'being_sent':
          throw new ConflictException(`Notification ${id} is being sent right now; try again in a moment`);
        case 'requeued':
          // The answer is the row as this resend wrote it, read before the commit: the commit wakes the dispatcher,
          // which may have sent it already by the time a read after the commit ran (docs/api.md).
          return this.detail(manager, user, id);
      }
    });
  }

  /**
   * A report folded into a digest arrives with the digest: resent on its own while the digest waits or was sent,
   * it would arrive twice. Only once its digest failed or was skipped can it go alone.
   */
  private async assertDigestDidNotCarry(id: string, digestId: string | null): Promise<void> {
    const digest = digestId === null ? null : await this.notifications.findOneBy({ id: digestId });
    if (digest && digest.status !== 'failed' && digest.status !== 'skipped') {
      throw new ConflictException(
        `Notification ${id} was folded into digest ${digestId}, which is ${digest.status}: it goes with the digest`,
      );
    }
  }

  private async detail(
    manager: EntityManager,
    user: AuthUser,
    id: string,
  ): Promise<NotificationDetailResponse> {
    // Attempts first: an attempt and its status change commit together, so the row read after the attempts is
    // never older than them (a reader never sees an attempt whose outcome the status does not show yet).
    const attempts = await manager.find(NotificationAttempt, {
      where: { notificationId: id },
      order: { at: 'ASC', id: 'ASC' },
    });
    const row = await this.findVisible(user, id, manager);
    const confirmations = await this.confirmationsOf([row]);
    return { ...toResponse(row, confirmations.get(row.id)), attempts: attempts.map(toAttemptResponse) };
  }

  /** Only reports' notifications can have one: a page of other kinds asks nothing. */
  private async confirmationsOf(
    rows: readonly Notification[],
  ): Promise<Map<string, NotificationConfirmationResponse>> {
    const ids = rows.filter((row) => row.kind === 'menu_report').map((row) => row.id);
    return ids.length === 0 ? new Map() : this.confirmations.forNotifications(ids);
  }

  private async findVisible(
    user: AuthUser,
    id: string,
    manager: EntityManager = this.notifications.manager,
  ): Promise<Notification> {
    const row = await manager.findOneBy(Notification, { id });
    const notFound = () => new NotFoundException(`Notification ${id} not found`);
    if (!row) throw notFound();
    assertCanSee(user, row.storeId, notFound);
    if (row.kind === 'alert' && !seesAlerts(user)) throw notFound();
    return row;
  }
}

/**
 * Alerts are the chain's: filed under the store of the bot that posts them (HQ's group, say), but about every
 * store's bots, so only an admin reads or resends them (docs/bot-health.md, Alerts); to that store's admin they are
 * as another store's rows, not found.
 */
function seesAlerts(user: AuthUser): boolean {
  return user.role === 'admin';
}

function toResponse(
  row: Notification,
  confirmation: NotificationConfirmationResponse | undefined,
): NotificationResponse {
  return {
    id: Number(row.id),
    bot_id: row.botId,
    store_id: row.storeId,
    menu_report_id: row.menuReportId,
    kind: row.kind,
    status: row.status,
    msg_type: row.msgType,
    title: row.title,
    content: row.content,
    attempt_count: row.attempts,
    next_attempt_at: row.nextAttemptAt.toISOString(),
    last_error: row.lastError,
    hint: row.hint,
    targets: (row.targetOutcomes ?? []).map((target) => ({
      target: target.target,
      status: targetStatus(target.standing, row.status),
    })),
    recipients: (row.recipients ?? []).map((recipient) => ({
      user_id: recipient.userId,
      outcome: recipient.outcome,
      ...splitErrcode(recipient.errcode),
    })),
    confirmation: confirmation ?? CONFIRMATION_OFF,
    merged_into: row.mergedInto === null ? null : Number(row.mergedInto),
    sent_at: row.sentAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/** A target still to reach (`missed`) stands as its notification does: waiting, failed, skipped or merged. */
function targetStatus(standing: UsersStanding, status: NotificationStatus): TargetStatus {
  if (standing !== 'missed') return standing;
  switch (status) {
    case 'pending':
    case 'retrying':
    case 'sent':
      return 'pending';
    case 'failed':
    case 'skipped':
    case 'merged':
      return status;
  }
}

function toAttemptResponse(row: NotificationAttempt): NotificationAttemptResponse {
  return {
    at: row.at.toISOString(),
    outcome: row.outcome,
    http_status: row.httpStatus,
    ...splitErrcode(row.errcode),
    errmsg: row.errmsg,
    latency_ms: row.latencyMs,
  };
}
