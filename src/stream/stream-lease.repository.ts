import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { StreamBotState, StreamConnectionStatus } from './stream-bot.supervisor';
import { STREAM_BOTS, StreamBots } from './stream-bots';

/** A lease lasts this long unless renewed; a dead instance's bots are taken over after at most this. */
export const LEASE_TTL_MS = 30_000;
/** Held leases are renewed (and orphaned bots looked for) this often, by the job of this name. */
export const LEASE_RENEW_MS = 10_000;
export const STREAM_LEASE_RENEWAL = 'stream-lease-renewal';

const FOREIGN_KEY_VIOLATION = '23503';

/** One held connection as its instance last wrote it onto the lease. */
export interface HeldConnection {
  botId: number;
  state: StreamBotState;
}

/** What the holder of a lease last reported of its connection (columns of stream_connection_leases). */
interface ReportedConnection {
  acquired_at: Date | null;
  connection_status: StreamConnectionStatus | null;
  status_since: Date | null;
  connected_since: Date | null;
  last_message_time: Date | null;
  last_error: string | null;
  reconnect_count: number | null;
}

/** A stream bot as every instance sees it: the bot, and the lease (with the holder's last report) if there is one. */
export interface StreamBotLeaseRow extends ReportedConnection {
  bot_id: number;
  store_id: number;
  name: string;
  is_enabled: boolean;
  instance_id: string | null;
  expires_at: Date | null;
}

/** A lease as stored (table stream_connection_leases). */
interface LeaseRow extends ReportedConnection {
  bot_id: number;
  instance_id: string;
  expires_at: Date;
}

/**
 * Who connects which stream bot when several instances share the database, and in what state the connection is:
 * the holder writes its connection's state onto the lease, so that any instance can answer for the whole cluster.
 * Single statements, no transaction held open; times come from the injected Clock so tests can expire a lease.
 * The bots themselves are dingtalk-bot's table: they are read through the StreamBots port.
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
   * Takes the bot's lease if it is free, expired or already ours; true when this instance holds it now. A new
   * connection starts from scratch, so the state written by the previous holder is cleared. A bot deleted
   * meanwhile is not leased: false. The bots' table is dingtalk-bot's, so this asks the StreamBots port first
   * rather than naming ding_talk_bots in the INSERT (an INSERT the lease's foreign key refuses is an ERROR line in
   * PostgreSQL's log each time). A bot deleted between the two statements is still refused by the foreign key
   * (23503), and still means false: the same race the former INSERT … WHERE EXISTS had under READ COMMITTED.
   */
  async acquire(botId: number): Promise<boolean> {
    if ((await this.bots.streamBots({ botId })).length === 0) return false;
    const now = new Date(this.clock.now());
    try {
      const rows = await this.dataSource.query<Array<{ bot_id: number }>>(
        `INSERT INTO stream_connection_leases
           (bot_id, instance_id, expires_at, acquired_at, connection_status, status_since,
            connected_since, last_message_time, last_error, reconnect_count)
         VALUES ($1, $2, $3, $4, 'connecting', $4, NULL, NULL, NULL, 0)
         ON CONFLICT (bot_id) DO UPDATE SET
           instance_id = EXCLUDED.instance_id, expires_at = EXCLUDED.expires_at, acquired_at = EXCLUDED.acquired_at,
           connection_status = EXCLUDED.connection_status, status_since = EXCLUDED.status_since,
           connected_since = NULL, last_message_time = NULL, last_error = NULL, reconnect_count = 0
         WHERE stream_connection_leases.instance_id = EXCLUDED.instance_id OR stream_connection_leases.expires_at < $4
         RETURNING bot_id`,
        [botId, this.instanceId, new Date(now.getTime() + LEASE_TTL_MS), now],
      );
      return rows.length > 0;
    } catch (error) {
      const code = error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : null;
      if (code === FOREIGN_KEY_VIOLATION) return false;
      throw error;
    }
  }

  /**
   * Extends the given leases and writes each connection's current state in one statement; answers the ids this
   * instance still holds (a missing one was lost).
   */
  async renew(held: HeldConnection[]): Promise<Set<number>> {
    if (held.length === 0) return new Set();
    const rows = await this.dataSource.query<Array<{ bot_id: number }>>(
      // A CTE, so that TypeORM hands back the rows (for a bare UPDATE it answers [rows, count]).
      `WITH renewed AS (
         UPDATE stream_connection_leases l SET expires_at = $1, ${STATE_COLUMNS}
         FROM ${stateValues(3)} WHERE l.instance_id = $2 AND l.bot_id = s.bot_id RETURNING l.bot_id)
       SELECT bot_id FROM renewed`,
      [new Date(this.clock.now() + LEASE_TTL_MS), this.instanceId, ...stateArrays(held)],
    );
    return new Set(rows.map((row) => row.bot_id));
  }

  /** Writes one held connection's state now (a status change), if this instance still holds the bot. */
  async report(connection: HeldConnection): Promise<void> {
    await this.dataSource.query(
      `UPDATE stream_connection_leases l SET ${STATE_COLUMNS}
       FROM ${stateValues(2)} WHERE l.instance_id = $1 AND l.bot_id = s.bot_id`,
      [this.instanceId, ...stateArrays([connection])],
    );
  }

  async release(botId: number): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM stream_connection_leases WHERE bot_id = $1 AND instance_id = $2`,
      [botId, this.instanceId],
    );
  }

  /** Enabled stream bots whose lease is free or expired: an instance may take them. */
  async orphans(): Promise<number[]> {
    const enabled = await this.bots.enabledStreamBotIds();
    if (enabled.length === 0) return [];
    const held = await this.dataSource.query<Array<{ bot_id: number }>>(
      `SELECT bot_id FROM stream_connection_leases WHERE bot_id = ANY($1::int[]) AND expires_at >= $2`,
      [enabled, new Date(this.clock.now())],
    );
    const taken = new Set(held.map((row) => row.bot_id));
    return enabled.filter((id) => !taken.has(id));
  }

  /** Every stream bot of the given stores (undefined: of every store) with its lease, by id. */
  async streamBots(filter: { storeIds?: readonly number[]; botId?: number }): Promise<StreamBotLeaseRow[]> {
    const bots = await this.bots.streamBots(filter);
    if (bots.length === 0) return [];
    const leases = await this.dataSource.query<LeaseRow[]>(
      `SELECT bot_id, instance_id, expires_at, acquired_at, connection_status, status_since, connected_since,
              last_message_time, last_error, reconnect_count
       FROM stream_connection_leases WHERE bot_id = ANY($1::int[])`,
      [bots.map((bot) => bot.id)],
    );
    const leaseOf = new Map(leases.map((lease) => [lease.bot_id, lease]));
    return bots.map((bot) => {
      const lease = leaseOf.get(bot.id);
      return {
        bot_id: bot.id,
        store_id: bot.storeId,
        name: bot.name,
        is_enabled: bot.isEnabled,
        instance_id: lease?.instance_id ?? null,
        expires_at: lease?.expires_at ?? null,
        acquired_at: lease?.acquired_at ?? null,
        connection_status: lease?.connection_status ?? null,
        status_since: lease?.status_since ?? null,
        connected_since: lease?.connected_since ?? null,
        last_message_time: lease?.last_message_time ?? null,
        last_error: lease?.last_error ?? null,
        reconnect_count: lease?.reconnect_count ?? null,
      };
    });
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
  return `unnest(${arrays}) AS s(bot_id, status, status_since, connected_since, last_message_time, last_error,
    reconnect_count)`;
}

function stateArrays(held: HeldConnection[]): unknown[] {
  const date = (ms: number | null) => (ms === null ? null : new Date(ms));
  return [
    held.map((c) => c.botId),
    held.map((c) => c.state.status),
    held.map((c) => date(c.state.statusSince)),
    held.map((c) => date(c.state.connectedSince)),
    held.map((c) => date(c.state.lastMessageTime)),
    held.map((c) => c.state.lastError),
    held.map((c) => c.state.reconnectCount),
  ];
}
