import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '../../database/query-rows';
import { BotHealth, BotHealthReason } from '../../events/bot-health.events';
import { AlertFacts } from '../messages/alert-message';
import { AlertingState } from './alert-rules';
import { AlertRow, factsOf } from './alert-row';

/** A bot's health row as the alert job reads it. */
export interface HealthForAlerts extends AlertingState {
  reason: BotHealthReason | null;
  detail: string | null;
  hint: string | null;
}

interface HealthForAlertsRow {
  health: BotHealth;
  reason: BotHealthReason | null;
  detail: string | null;
  hint: string | null;
  since: Date;
  alerted_broken: boolean;
  alerted_at: Date | null;
}

const ALERT_COLUMNS =
  'id, type, bot_id, bot_name, bot_type, store_id, health, reason, detail, hint, since, created_at';

/**
 * What the alerts keep (tables bot_alerts and alert_webhook_deliveries, and the alert columns of bot_health): which
 * bots are due an alert, what was told, and the webhook deliveries that tell it.
 */
@Injectable()
export class AlertsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Bots that may be due an alert at `now` (dueAlert decides, under the lock): broken and not alerted, or alerted
   * and healthy, for at least the quiet period; or alerted and still unhealthy since the last reminder. The few rows
   * an index keeps (migration 1764003500000).
   */
  async candidates(now: Date, quietPeriodMs: number, reminderMs: number): Promise<number[]> {
    const rows = await this.dataSource.query<Array<{ bot_id: number }>>(
      `SELECT bot_id FROM bot_health
       WHERE (health <> 'healthy' OR alerted_broken)
         AND ((health = 'broken' AND NOT alerted_broken AND since <= $1::timestamptz - $2 * interval '1 ms')
              OR (alerted_broken AND health = 'healthy' AND since <= $1::timestamptz - $2 * interval '1 ms')
              OR (alerted_broken AND health <> 'healthy'
                  AND (alerted_at IS NULL OR alerted_at <= $1::timestamptz - $3 * interval '1 ms')))
       ORDER BY bot_id`,
      [now, quietPeriodMs, reminderMs],
    );
    return rows.map((row) => row.bot_id);
  }

  /**
   * Bot `botId`'s health row as the alert job decides on it: read, not locked (markAlerted checks it is still so).
   * Null when the bot has no row.
   */
  async read(manager: EntityManager, botId: number): Promise<HealthForAlerts | null> {
    const [row] = await manager.query<HealthForAlertsRow[]>(
      `SELECT health, reason, detail, hint, since, alerted_broken, alerted_at FROM bot_health WHERE bot_id = $1`,
      [botId],
    );
    if (!row) return null;
    return {
      health: row.health,
      reason: row.reason,
      detail: row.detail,
      hint: row.hint,
      since: row.since.getTime(),
      alertedBroken: row.alerted_broken,
      alertedAt: row.alerted_at?.getTime() ?? null,
    };
  }

  /**
   * What the destinations were told of bot `botId`, at `at`, if its row is still as `decided` read it (its health,
   * since when, what was told before): false when it changed meanwhile (another instance alerted it, its health
   * moved), and nothing is written. Under the row's lock, which it waits for.
   */
  async markAlerted(
    manager: EntityManager,
    botId: number,
    decided: AlertingState,
    alertedBroken: boolean,
    at: Date,
  ): Promise<boolean> {
    const rows = rowsOf<{ bot_id: number }>(
      await manager.query(
        `UPDATE bot_health SET alerted_broken = $2, alerted_at = $3
         WHERE bot_id = $1 AND health = $4 AND alerted_broken = $6
           -- as read: a Date holds milliseconds
           AND date_trunc('milliseconds', since) = $5::timestamptz
           AND alerted_at IS NOT DISTINCT FROM $7::timestamptz
         RETURNING bot_id`,
        [
          botId,
          alertedBroken,
          at,
          decided.health,
          new Date(decided.since),
          decided.alertedBroken,
          decided.alertedAt === null ? null : new Date(decided.alertedAt),
        ],
      ),
    );
    return rows.length === 1;
  }

  /** Records an alert (its facts are what every destination is told). */
  async record(manager: EntityManager, facts: Omit<AlertFacts, 'id'>): Promise<AlertFacts> {
    const [row] = await manager.query<AlertRow[]>(
      `INSERT INTO bot_alerts (type, bot_id, bot_name, bot_type, store_id, health, reason, detail, hint, since,
                               created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       RETURNING ${ALERT_COLUMNS}`,
      [
        facts.type,
        facts.botId,
        facts.botName,
        facts.botType,
        facts.storeId,
        facts.health,
        facts.reason,
        facts.detail,
        facts.hint,
        facts.since,
        facts.createdAt,
      ],
    );
    return factsOf(row);
  }

  /** One webhook delivery of alert `alertId` per destination, due at `at`. */
  async addWebhookDeliveries(
    manager: EntityManager,
    alertId: string,
    destinationIds: readonly number[],
    at: Date,
  ): Promise<void> {
    if (destinationIds.length === 0) return;
    await manager.query(
      `INSERT INTO alert_webhook_deliveries (alert_id, destination_id, next_attempt_at)
       SELECT $1, d, $3 FROM unnest($2::integer[]) AS d`,
      [alertId, [...destinationIds], at],
    );
  }

  /** The alerts of bot `botId` (or every bot), newest first. */
  async list(
    filter: { botId?: number; storeIds?: readonly number[] },
    skip: number,
    take: number,
  ): Promise<{ items: AlertFacts[]; total: number }> {
    const rows = rowsOf<AlertRow & { total: string }>(
      await this.dataSource.query(
        `SELECT ${ALERT_COLUMNS}, count(*) OVER () AS total FROM bot_alerts
         WHERE ($1::integer IS NULL OR bot_id = $1::integer) AND ($2::integer[] IS NULL OR store_id = ANY($2))
         ORDER BY id DESC OFFSET $3 LIMIT $4`,
        [filter.botId ?? null, filter.storeIds ? [...filter.storeIds] : null, skip, take],
      ),
    );
    return { items: rows.map(factsOf), total: rows.length === 0 ? 0 : Number(rows[0].total) };
  }

  /** A transaction of the caller's. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}
