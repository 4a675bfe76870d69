import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { StreamAppState, StreamConnectionStatus } from './stream-app.supervisor';
import { STREAM_BOTS, StreamBots } from './stream-bots';

/** A lease lasts this long unless renewed; a dead instance's apps are taken over after at most this. */
export const LEASE_TTL_MS = 30_000;
/** Held leases are renewed (and orphaned apps looked for) this often, by the job of this name. */
export const LEASE_RENEW_MS = 10_000;
export const STREAM_LEASE_RENEWAL = 'stream-lease-renewal';

const FOREIGN_KEY_VIOLATION = '23503';

/** One held connection as its instance last wrote it onto the lease. */
export interface HeldConnection {
  appId: number;
  state: StreamAppState;
}

/** An app's lease as stored (table stream_connection_leases): who holds it, and the holder's last report. */
export interface AppLeaseRow {
  app_id: number;
  instance_id: string;
  expires_at: Date;
  acquired_at: Date | null;
  connection_status: StreamConnectionStatus | null;
  status_since: Date | null;
  connected_since: Date | null;
  last_message_time: Date | null;
  last_error: string | null;
  reconnect_count: number | null;
}

/**
 * Who connects which DingTalk app when several instances share the database, and in what state the connection is:
 * the holder writes its connection's state onto the lease, so that any instance can answer for the whole cluster.
 * One lease per app (its bots share its connection). Single statements, no transaction held open; times come from
 * the injected Clock so tests can expire a lease. Which apps need a connection is read of the bots (dingtalk-bot's
 * table) through the StreamBots port.
 */
@Injectable()
export class StreamLeaseRepository {
  private readonly instanceId: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(STREAM_BOTS) private readonly bots: StreamBots,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.instanceId = config.instanceId;
  }

  /**
   * Takes the app's lease if it is free, expired or already ours; true when this instance holds it now. A new
   * connection starts from scratch, so the state written by the previous holder is cleared. An app deleted meanwhile
   * is refused by the lease's foreign key (23503): false (an app is deleted only once no bot uses it, so rarely).
   */
  async acquire(appId: number): Promise<boolean> {
    const now = new Date(this.clock.now());
    try {
      const rows = await this.dataSource.query<Array<{ app_id: number }>>(
        `INSERT INTO stream_connection_leases
           (app_id, instance_id, expires_at, acquired_at, connection_status, status_since,
            connected_since, last_message_time, last_error, reconnect_count)
         VALUES ($1, $2, $3, $4, 'connecting', $4, NULL, NULL, NULL, 0)
         ON CONFLICT (app_id) DO UPDATE SET
           instance_id = EXCLUDED.instance_id, expires_at = EXCLUDED.expires_at, acquired_at = EXCLUDED.acquired_at,
           connection_status = EXCLUDED.connection_status, status_since = EXCLUDED.status_since,
           connected_since = NULL, last_message_time = NULL, last_error = NULL, reconnect_count = 0
         WHERE stream_connection_leases.instance_id = EXCLUDED.instance_id OR stream_connection_leases.expires_at < $4
         RETURNING app_id`,
        [appId, this.instanceId, new Date(now.getTime() + LEASE_TTL_MS), now],
      );
      return rows.length > 0;
    } catch (error) {
      const code = error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : null;
      if (code === FOREIGN_KEY_VIOLATION) return false;
      throw error;
    }
  }

  /**
   * Extends the given leases and writes each connection's current state in one statement; answers the app ids this
   * instance still holds (a missing one was lost).
   */
  async renew(held: HeldConnection[]): Promise<Set<number>> {
    if (held.length === 0) return new Set();
    const rows = await this.dataSource.query<Array<{ app_id: number }>>(
      // A CTE, so that TypeORM hands back the rows (for a bare UPDATE it answers [rows, count]).
      `WITH renewed AS (
         UPDATE stream_connection_leases l SET expires_at = $1, ${STATE_COLUMNS}
         FROM ${stateValues(3)} WHERE l.instance_id = $2 AND l.app_id = s.app_id RETURNING l.app_id)
       SELECT app_id FROM renewed`,
      [new Date(this.clock.now() + LEASE_TTL_MS), this.instanceId, ...stateArrays(held)],
    );
    return new Set(rows.map((row) => row.app_id));
  }

  /** Writes one held connection's state now (a status change), if this instance still holds the app. */
  async report(connection: HeldConnection): Promise<void> {
    await this.dataSource.query(
      `UPDATE stream_connection_leases l SET ${STATE_COLUMNS}
       FROM ${stateValues(2)} WHERE l.instance_id = $1 AND l.app_id = s.app_id`,
      [this.instanceId, ...stateArrays([connection])],
    );
  }

  async release(appId: number): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM stream_connection_leases WHERE app_id = $1 AND instance_id = $2`,
      [appId, this.instanceId],
    );
  }

  /**
   * Apps with an enabled stream bot whose lease is free, expired or this instance's: an instance may take them (its
   * own lease without a connection here is one whose reconnect failed half-way, e.g. the database away a moment).
   */
  async orphans(): Promise<number[]> {
    const wanted = await this.bots.connectedAppIds();
    if (wanted.length === 0) return [];
    const held = await this.dataSource.query<Array<{ app_id: number }>>(
      `SELECT app_id FROM stream_connection_leases
       WHERE app_id = ANY($1::int[]) AND expires_at >= $2 AND instance_id <> $3`,
      [wanted, new Date(this.clock.now()), this.instanceId],
    );
    const taken = new Set(held.map((row) => row.app_id));
    return wanted.filter((id) => !taken.has(id));
  }

  /** The leases of the given apps (expired ones too: the caller judges them), by app id. */
  async leasesOf(appIds: readonly number[]): Promise<Map<number, AppLeaseRow>> {
    if (appIds.length === 0) return new Map();
    const rows = await this.dataSource.query<AppLeaseRow[]>(
      `SELECT app_id, instance_id, expires_at, acquired_at, connection_status, status_since, connected_since,
              last_message_time, last_error, reconnect_count
       FROM stream_connection_leases WHERE app_id = ANY($1::int[])`,
      [[...new Set(appIds)]],
    );
    return new Map(rows.map((row) => [row.app_id, row]));
  }
}

/** The state columns of a lease, set from the `s` rows of stateValues(). */
const STATE_COLUMNS = `connection_status = s.status, status_since = s.status_since,
  connected_since = s.connected_since, last_message_time = s.last_message_time, last_error = s.last_error,
  reconnect_count = s.reconnect_count`;

/** Rows `s` of connection states from the seven arrays of stateArrays(), bound from parameter `$first` on. */
function stateValues(first: number): string {
  const types = ['int', 'text', 'timestamptz', 'timestamptz', 'timestamptz', 'text', 'int'];
  const arrays = types.map((type, index) => `$${first + index}::${type}[]`).join(', ');
  return `unnest(${arrays}) AS s(app_id, status, status_since, connected_since, last_message_time, last_error,
    reconnect_count)`;
}

function stateArrays(held: HeldConnection[]): unknown[] {
  const date = (ms: number | null) => (ms === null ? null : new Date(ms));
  return [
    held.map((c) => c.appId),
    held.map((c) => c.state.status),
    held.map((c) => date(c.state.statusSince)),
    held.map((c) => date(c.state.connectedSince)),
    held.map((c) => date(c.state.lastMessageTime)),
    held.map((c) => c.state.lastError),
    held.map((c) => c.state.reconnectCount),
  ];
}
