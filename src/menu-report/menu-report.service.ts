import { Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, QueryFailedError, Repository, SelectQueryBuilder } from 'typeorm';
import { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { assertCanSee, storeForCreate, storesToList } from '../auth/store-scope';
import { whereCreatedOnDays } from '../common/http/day-range.query';
import { Page, pageWindow } from '../common/http/pagination.dto';
import { ValidationFailedException } from '../common/http/validation-failed.exception';
import { AppConfig } from '../config/app-config';
import type { IdempotentRequest } from '../idempotency/idempotent-request';
import { IdempotentTransactions } from '../idempotency/idempotent-transactions';
import { ReportNotificationRef } from '../events/menu-report.events';
import { CreateMenuReportDto } from './dto/create-menu-report.dto';
import { ListMenuReportsQuery } from './dto/list-menu-reports.query';
import {
  CONFIRMATION_OFF,
  CreatedMenuReportResponse,
  MenuReportResponse,
  REPORT_CONFIRMATION_OFF,
} from './dto/menu-report.response';
import { MenuReport, ReportSource } from './entities/menu-report.entity';
import { REPORT_NOTIFICATIONS, ReportNotificationsPort, ReportRowWrite } from './report-notifications.port';
import {
  REPORT_CONFIRMATION_READER,
  ReportConfirmationReader,
  ReportConfirmationView,
} from './report-confirmations.port';

const FOREIGN_KEY_VIOLATION = '23503';

function isForeignKeyViolation(error: unknown): boolean {
  return (
    error instanceof QueryFailedError &&
    (error.driverError as { code?: string } | undefined)?.code === FOREIGN_KEY_VIOLATION
  );
}

/** Where a report comes from: the HTTP API (reported by the token's sub) or a staff member in DingTalk. */
export interface ReportOrigin {
  source: ReportSource;
  /** Defaults to the caller's `sub`. */
  reportedBy?: string;
  /**
   * Runs inside the report's transaction, after the report is written: what caused the report records it in the
   * same commit (a DingTalk message marks itself reported), and may throw to write nothing.
   */
  inTransaction?: (manager: EntityManager, report: MenuReport) => Promise<void>;
}

/**
 * Menu reports: written in one statement with their notifications (the notify module writes them, through
 * ReportNotificationsPort), so a 201 means they are all committed. Two round trips a report: the read of what its
 * notifications need, then that statement; a transaction around them only when something else must commit with the
 * report (an Idempotency-Key, or the caller's own follow-up).
 */
@Injectable()
export class MenuReportService {
  private readonly logger = new Logger(MenuReportService.name);

  constructor(
    @InjectRepository(MenuReport) private readonly reports: Repository<MenuReport>,
    private readonly transactions: IdempotentTransactions,
    @Inject(REPORT_NOTIFICATIONS) private readonly notifications: ReportNotificationsPort,
    @Inject(REPORT_CONFIRMATION_READER) private readonly confirmations: ReportConfirmationReader,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * With an Idempotency-Key, the key is written in the report's transaction, and a retry within 24 hours answers
   * this report again (idempotent-transactions.ts).
   */
  async create(
    user: AuthUser,
    request: CreateMenuReportDto,
    origin: ReportOrigin = { source: 'api' },
    idempotency?: IdempotentRequest,
  ): Promise<CreatedMenuReportResponse> {
    if (request.dish_id == null && request.dish_name == null) {
      throw new ValidationFailedException([
        { field: 'dish_id', message: 'dish_id or dish_name is required' },
        { field: 'dish_name', message: 'dish_id or dish_name is required' },
      ]);
    }
    const storeId = storeForCreate(user, request.store_id);
    const write = async (manager: EntityManager) => {
      const planned = await this.notifications.prepare(manager, storeId);
      const report = Object.assign(new MenuReport(), {
        id: planned.reportId,
        storeId,
        dishId: request.dish_id ?? null,
        dishName: request.dish_name ?? null,
        quantity: request.quantity,
        unit: request.unit,
        remark: request.remark ?? null,
        reportedBy: (origin.reportedBy ?? user.sub).slice(0, 100),
        source: origin.source,
        // The application's clock, as every time that decides something: "today" (今日, the daily summary) is
        // read by it, so a report is on the day that clock says, not on the database server's.
        createdAt: new Date(this.clock.now()),
      });
      const notifications = await planned.write(manager, report, reportRow(report));
      await origin.inTransaction?.(manager, report);
      // Read in the report's connection (its transaction, if any, has not committed yet): only a store whose
      // kitchen confirms pays for it.
      const confirmation = notifications.some((n) => n.confirmation)
        ? (await this.confirmations.forReports([report.id], manager)).get(report.id)
        : undefined;
      return {
        response: {
          ...toResponse(report, notifications, confirmation),
          warnings: warningsOf(storeId, notifications),
        },
      };
    };
    // Inside a transaction a failed statement aborts it, so the write is not tried again there: a refused foreign key
    // fails the request as it did (nothing committed, the Idempotency-Key neither: its retry writes the report). A
    // savepoint would cost two more round trips on every such report, for what the write's own lock on the bots
    // already rules out (notify/delivery/queue/outbox.repository.ts).
    if (idempotency || origin.inTransaction) {
      const answer: MenuReportResponse & Partial<Pick<CreatedMenuReportResponse, 'warnings'>> =
        await this.transactions.run(idempotency, write);
      // A replay of an answer stored before `warnings` existed (a key used within 24 hours before the deploy) lacks
      // the field the API promises.
      return { ...answer, warnings: answer.warnings ?? [] };
    }
    // The report and its notifications are one statement, which commits alone: no transaction of its own needed
    // (two round trips a report instead of five). A bot deleted between the read and the write is left out of the
    // write; should a foreign key still refuse it (23503: a row it points to went meanwhile), nothing was written,
    // and the two statements run once more on a fresh read (a new report id: the sequence's gap is harmless).
    const done = await this.onOneConnection((manager) =>
      write(manager).catch((error: unknown) => {
        if (!isForeignKeyViolation(error)) throw error;
        this.logger.warn(`Menu report refused by a foreign key (${(error as Error).message}): written again`);
        return write(manager);
      }),
    );
    return done.response;
  }

  /**
   * The report's statements on one connection, taken from the pool once: outside a transaction, TypeORM's
   * `manager.query` makes a query runner and takes a connection for each statement (docs/performance.md, round 3).
   * No transaction: each statement still commits alone.
   */
  private async onOneConnection<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const runner = this.reports.manager.connection.createQueryRunner();
    try {
      return await work(runner.manager);
    } finally {
      await runner.release();
    }
  }

  async list(user: AuthUser, query: ListMenuReportsQuery): Promise<Page<MenuReportResponse>> {
    const builder = this.reports.createQueryBuilder('report');
    const stores = storesToList(user, query.store_id);
    if (stores?.length === 0) return new Page([], 0, query);
    if (stores) builder.andWhere('report.storeId IN (:...stores)', { stores });
    this.whereDates(builder, query.date_from, query.date_to);
    if (query.confirmation)
      builder.andWhere(this.confirmations.reportCondition('report.id', query.confirmation));
    const { skip, take } = pageWindow(query);
    const [rows, total] = await builder.orderBy('report.id', 'DESC').skip(skip).take(take).getManyAndCount();
    const ids = rows.map((row) => row.id);
    const [summaries, confirmations] = await Promise.all([
      this.notifications.forReports(ids),
      this.confirmations.forReports(ids),
    ]);
    return new Page(
      rows.map((row) => toResponse(row, summaries.get(row.id) ?? [], confirmations.get(row.id))),
      total,
      query,
    );
  }

  async get(user: AuthUser, id: number): Promise<MenuReportResponse> {
    const report = await this.reports.findOneBy({ id });
    const notFound = () => new NotFoundException(`Menu report ${id} not found`);
    if (!report) throw notFound();
    assertCanSee(user, report.storeId, notFound);
    const [summaries, confirmations] = await Promise.all([
      this.notifications.forReports([id]),
      this.confirmations.forReports([id]),
    ]);
    return toResponse(report, summaries.get(id) ?? [], confirmations.get(id));
  }

  /** Today's reports of a store, oldest first, "today" in REPORT_TIMEZONE (what a stream bot answers to 今日). */
  async today(storeId: number, now: Date): Promise<MenuReport[]> {
    const day = now.toLocaleDateString('en-CA', { timeZone: this.config.reportTimeZone });
    const builder = this.reports.createQueryBuilder('report').where('report.storeId = :storeId', { storeId });
    this.whereDates(builder, day, day);
    return builder.orderBy('report.id', 'ASC').getMany();
  }

  /** Whole days in the stores' time zone. */
  private whereDates(builder: SelectQueryBuilder<MenuReport>, from?: string, to?: string): void {
    whereCreatedOnDays(builder, 'report.createdAt', { from, to, zone: this.config.reportTimeZone });
  }
}

/**
 * The report's INSERT, as the first write of the statement that also writes its notifications
 * (ReportNotificationsPort): one round trip, without TypeORM's save machinery (it reads entity metadata and diffs
 * the row, a measurable cost on the path of every report).
 */
function reportRow(report: MenuReport): ReportRowWrite {
  return {
    name: 'report.insert',
    cte: (first) => {
      const p = (i: number) => `$${first + i}`;
      return `report AS (
        INSERT INTO menu_reports (id, store_id, dish_id, dish_name, quantity, unit, remark, reported_by, source,
                                  created_at)
        VALUES (${p(0)}, ${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}, ${p(8)}, ${p(9)}))`;
    },
    params: [
      report.id,
      report.storeId,
      report.dishId,
      report.dishName,
      report.quantity,
      report.unit,
      report.remark,
      report.reportedBy,
      report.source,
      report.createdAt,
    ],
  };
}

/**
 * What a new report's answer says besides its notifications: a store may report before its bots are set up, and
 * the report is stored (201) all the same, but someone should hear that nobody, or not every bot, was notified.
 */
function warningsOf(storeId: number, notifications: readonly ReportNotificationRef[]): string[] {
  if (notifications.length === 0) return [noEnabledBot(storeId)];
  // A bot with nowhere to send gets its notification written `skipped` (the only status a new one is written
  // with besides `pending`), with a hint on the row.
  const skipped = [...new Set(notifications.filter((n) => n.status === 'skipped').map((n) => n.botId))];
  if (skipped.length === 0) return [];
  return [
    botsWithoutTarget(storeId, skipped, skipped.length === new Set(notifications.map((n) => n.botId)).size),
  ];
}

/** Why a new report notified nobody: its store has no enabled bot. */
export function noEnabledBot(storeId: number): string {
  return (
    `Store ${storeId} has no enabled DingTalk bot: the report is stored, but nobody was notified. Add a bot for ` +
    'the store (POST /api/v1/dingtalk-bots) or enable one (PUT /api/v1/dingtalk-bots/{id} with is_enabled: true).'
  );
}

/** Which of a store's enabled bots have nowhere to send (no target), and how to give them one. */
function botsWithoutTarget(storeId: number, botIds: readonly number[], nobodyNotified: boolean): string {
  const one = botIds.length === 1;
  const bots = `${one ? 'Bot' : 'Bots'} ${botIds.join(', ')} of store ${storeId} ${one ? 'has' : 'have'}`;
  const outcome = nobodyNotified
    ? 'the report is stored, but nobody was notified.'
    : `${one ? 'its notification' : 'their notifications'} of this report ${one ? 'is' : 'are'} skipped.`;
  return (
    `${bots} nowhere to send (no target): ${outcome} A stream bot needs user_ids (work notifications) or ` +
    'open_conversation_id (a group; or write 绑定 to the bot in that group): set them with ' +
    'PUT /api/v1/dingtalk-bots/{id}.'
  );
}

function toResponse(
  report: MenuReport,
  notifications: readonly ReportNotificationRef[],
  confirmation?: ReportConfirmationView,
): MenuReportResponse {
  return {
    id: report.id,
    store_id: report.storeId,
    dish_id: report.dishId,
    dish_name: report.dishName,
    quantity: report.quantity,
    unit: report.unit,
    remark: report.remark,
    reported_by: report.reportedBy,
    source: report.source,
    created_at: report.createdAt.toISOString(),
    notifications: notifications.map((row) => ({
      id: Number(row.id),
      bot_id: row.botId,
      status: row.status,
      confirmation: confirmation?.notifications.get(String(row.id)) ?? CONFIRMATION_OFF,
    })),
    confirmation: confirmation?.report ?? REPORT_CONFIRMATION_OFF,
  };
}
