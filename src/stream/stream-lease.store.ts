import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';

/** A lease lasts this long unless renewed; a dead instance's bots are taken over after at most this. */
export const LEASE_TTL_MS = 30_000;
/** Held leases are renewed (and orphaned bots looked for) this often, by the job of this name. */
export const LEASE_RENEW_MS = 10_000;
export const STREAM_LEASE_RENEWAL = 'stream-lease-renewal';

/**
 * Who connects which stream bot when several instances share the database. Single statements, no
 * transaction held open; times come from the injected Clock so tests can expire a lease.
 */
@Injectable()
export class StreamLeaseStore {
  private readonly instanceId: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.instanceId = config.instanceId;
  }

  /** Takes the bot's lease if it is free, expired or already ours; true when this instance holds it now. */
  async acquire(botId: number): Promise<boolean> {
    const now = this.clock.now();
    const rows = await this.dataSource.query<unknown[]>(
      `INSERT INTO stream_connection_leases (bot_id, instance_id, expires_at)
       SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM ding_talk_bots WHERE id = $1)
       ON CONFLICT (bot_id) DO UPDATE SET instance_id = EXCLUDED.instance_id, expires_at = EXCLUDED.expires_at
       WHERE stream_connection_leases.instance_id = EXCLUDED.instance_id OR stream_connection_leases.expires_at < $4
       RETURNING bot_id`,
      [botId, this.instanceId, new Date(now + LEASE_TTL_MS), new Date(now)],
    );
    return rows.length > 0;
  }

  /** Extends the given leases; answers the ids this instance still holds (a missing one was lost). */
  async renew(botIds: number[]): Promise<Set<number>> {
    if (botIds.length === 0) return new Set();
    const rows = await this.dataSource.query<Array<{ bot_id: number }>>(
      // A CTE, so that TypeORM hands back the rows (for a bare UPDATE it answers [rows, count]).
      `WITH renewed AS (
         UPDATE stream_connection_leases SET expires_at = $1
         WHERE instance_id = $2 AND bot_id = ANY($3::int[]) RETURNING bot_id)
       SELECT bot_id FROM renewed`,
      [new Date(this.clock.now() + LEASE_TTL_MS), this.instanceId, botIds],
    );
    return new Set(rows.map((row) => row.bot_id));
  }

  async release(botId: number): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM stream_connection_leases WHERE bot_id = $1 AND instance_id = $2`,
      [botId, this.instanceId],
    );
  }

  /** Enabled stream bots whose lease is free or expired: an instance may take them. */
  async orphans(): Promise<number[]> {
    const rows = await this.dataSource.query<Array<{ id: number }>>(
      `SELECT b.id FROM ding_talk_bots b
       LEFT JOIN stream_connection_leases l ON l.bot_id = b.id
       WHERE b.bot_type = 'stream' AND b.is_enabled AND (l.bot_id IS NULL OR l.expires_at < $1)
       ORDER BY b.id`,
      [new Date(this.clock.now())],
    );
    return rows.map((row) => row.id);
  }
}
