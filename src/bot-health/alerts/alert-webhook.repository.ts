import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { rowsOf } from '../../database/query-rows';
import { AlertFacts } from '../messages/alert-message';
import { AlertRow, factsOf } from './alert-row';

/** A webhook delivery taken for sending: the alert, where to, with what secret, and the how-many-th attempt. */
export interface ClaimedWebhookDelivery {
  id: string;
  attempt: number;
  url: string;
  sealedSecret: string;
  alert: AlertFacts;
}

/** The delivery's own columns, then its alert's (selected with the alert's id as `alert_id`). */
interface ClaimedRow extends Omit<AlertRow, 'id'> {
  id: string;
  attempts: number;
  webhook_url: string;
  sealed_webhook_secret: string;
  alert_id: string;
}

/**
 * The webhook deliveries of alerts (table alert_webhook_deliveries): a small queue. A claim leases due rows with
 * SKIP LOCKED, so several instances share them and each is sent by one at a time; a lease that runs out (an
 * instance died mid-send) frees its row again.
 */
@Injectable()
export class AlertWebhookRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Leases up to `limit` due deliveries until `leaseUntil` and counts the attempt. A delivery whose destination
   * lost its webhook (changed since) is failed instead.
   */
  async claimDue(now: Date, leaseUntil: Date, limit: number): Promise<ClaimedWebhookDelivery[]> {
    const rows = rowsOf<ClaimedRow>(
      await this.dataSource.query(
        `WITH due AS (
           SELECT id FROM alert_webhook_deliveries
           WHERE status = 'pending' AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
           ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED),
         claimed AS (
           UPDATE alert_webhook_deliveries w SET lease_until = $2, attempts = w.attempts + 1
           FROM due WHERE w.id = due.id
           RETURNING w.id, w.attempts, w.alert_id, w.destination_id)
         SELECT c.id, c.attempts, d.webhook_url, d.sealed_webhook_secret, a.id AS alert_id, a.type, a.bot_id,
                a.bot_name, a.bot_type, a.store_id, a.health, a.reason, a.detail, a.hint, a.since, a.created_at
         FROM claimed c
         JOIN alert_destinations d ON d.id = c.destination_id
         JOIN bot_alerts a ON a.id = c.alert_id
         ORDER BY c.id`,
        [now, leaseUntil, limit],
      ),
    );
    return rows
      .filter((row) => row.webhook_url !== null && row.sealed_webhook_secret !== null)
      .map((row) => ({
        id: String(row.id),
        attempt: row.attempts,
        url: row.webhook_url,
        sealedSecret: row.sealed_webhook_secret,
        alert: factsOf({ ...row, id: row.alert_id }),
      }));
  }

  /**
   * Records an attempt: `sent`; or failed, to be tried again at `retryAt`, or for good (`retryAt` null). Only while
   * its lease is the one given (a late result after the lease ran out and another instance took it is dropped).
   */
  async record(
    id: string,
    leaseUntil: Date,
    result: {
      sent: boolean;
      at: Date;
      httpStatus: number | null;
      error: string | null;
      retryAt: Date | null;
    },
  ): Promise<void> {
    const status = result.sent ? 'sent' : result.retryAt === null ? 'failed' : 'pending';
    await this.dataSource.query(
      `UPDATE alert_webhook_deliveries
       SET status = $3::text, lease_until = NULL, http_status = $4, last_error = $5,
           sent_at = CASE WHEN $3::text = 'sent' THEN $6::timestamptz END,
           next_attempt_at = COALESCE($7, next_attempt_at)
       WHERE id = $1 AND lease_until = $2`,
      [id, leaseUntil, status, result.httpStatus, result.error, result.at, result.retryAt],
    );
  }

  /** Deliveries whose destination has no webhook any more are given up (claimDue leaves them out). */
  async failOrphans(now: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE alert_webhook_deliveries w
       SET status = 'failed', lease_until = NULL, last_error = 'The destination no longer has a webhook'
       FROM alert_destinations d
       WHERE d.id = w.destination_id AND w.status = 'pending' AND w.next_attempt_at <= $1
         AND (d.webhook_url IS NULL OR d.sealed_webhook_secret IS NULL)`,
      [now],
    );
  }
}
