import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import { rowsOf } from '../database/query-rows';
import { BotHealthReader, BotHealthView } from '../dingtalk-bot/bot-health-reader';
import { BOT_HEALTHS, BotHealth, BotHealthReason } from '../events/bot-health.events';
import { HealthSignal, HealthSource } from './health-signals';
import { combinedHealth, healthSince } from './health-sql';

const FOREIGN_KEY_VIOLATION = '23503';

/** A bot's health as stored (table bot_health): what the API shows, and each source's signal. */
export interface BotHealthState {
  health: BotHealth;
  reason: BotHealthReason | null;
  detail: string | null;
  hint: string | null;
  /** Since when the bot has had this health (clock ms). */
  since: number;
  /** When anything in the row last changed (clock ms). */
  changedAt: number;
  signals: Record<HealthSource, HealthSignal | null>;
  /** When each source's signal was last observed (clock ms): an older observation is not applied over it. */
  seenAt: Record<HealthSource, number | null>;
  /** The bot is switched off (or gone): nothing is expected of it, so nothing is wrong with it. */
  switchedOff: boolean;
}

/** New signals for a bot's row (BotHealthRepository.change). */
export interface SignalsChange {
  signals: BotHealthState['signals'];
  seenAt: BotHealthState['seenAt'];
  /** The destinations' open alert closes without a recovery (a bot switched off: docs/bot-health.md, Alerts). */
  closeAlert?: boolean;
}

/** A change of one bot's row: its state before and after. */
export interface BotHealthChange {
  botId: number;
  before: BotHealthState;
  after: BotHealthState;
}

interface BotHealthRow {
  bot_id: number;
  health: BotHealth;
  reason: BotHealthReason | null;
  detail: string | null;
  hint: string | null;
  since: Date;
  changed_at: Date;
  delivery: HealthSignal | null;
  delivery_seen_at: Date | null;
  connection: HealthSignal | null;
  connection_seen_at: Date | null;
}

const COLUMNS = `bot_id, health, reason, detail, hint, since, changed_at, delivery, delivery_seen_at, connection,
  connection_seen_at`;

/** The bots' health (table bot_health, migration 1764003200000), owned by this module; other modules ask through ports. */
@Injectable()
export class BotHealthRepository implements BotHealthReader {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A new bot starts healthy. */
  async add(botId: number, at: number): Promise<void> {
    await this.ignoringUnknownBot(() =>
      this.dataSource.query(
        `INSERT INTO bot_health (bot_id, since, changed_at) VALUES ($1, $2, $2) ON CONFLICT (bot_id) DO NOTHING`,
        [botId, new Date(at)],
      ),
    );
  }

  /**
   * Changes one bot's signals under its row's lock: `next` is given the stored state and answers the new signals
   * (with when each was observed), or null to leave them; the health they make is written with them (health-sql.ts,
   * as the recording of sends writes it). `closeAlert`: the destinations' open alert, if any, closes without a
   * recovery (a bot switched off). The row is made first if it is missing (a bot created before its row was
   * written). Null when nothing changed or the bot no longer exists.
   */
  async change(
    botId: number,
    at: number,
    next: (state: BotHealthState) => SignalsChange | null,
  ): Promise<BotHealthChange | null> {
    return this.ignoringUnknownBot(() =>
      this.dataSource.transaction(async (manager) => {
        await manager.query(
          `INSERT INTO bot_health (bot_id, since, changed_at) VALUES ($1, $2, $2) ON CONFLICT (bot_id) DO NOTHING`,
          [botId, new Date(at)],
        );
        const [row] = await manager.query<BotHealthRow[]>(
          `SELECT ${COLUMNS} FROM bot_health WHERE bot_id = $1 FOR UPDATE`,
          [botId],
        );
        // A statement of its own, after the row's lock is granted: it sees a switch-on committed while the lock was
        // waited for (a send after it, recorded meanwhile, is then not taken for one of the bot switched off).
        const [{ switched_off: switchedOff }] = await manager.query<Array<{ switched_off: boolean }>>(
          `SELECT NOT EXISTS (SELECT 1 FROM ding_talk_bots WHERE id = $1 AND is_enabled) AS switched_off`,
          [botId],
        );
        const before = stateOf(row, switchedOff);
        const change = next(before);
        if (!change) return null;
        const [written] = rowsOf<BotHealthRow>(
          await manager.query(
            `UPDATE bot_health h
           SET delivery = $2::jsonb, delivery_seen_at = $3, connection = $4::jsonb, connection_seen_at = $5,
               health = c.health, reason = c.reason, detail = c.detail, hint = c.hint,
               since = ${healthSince('c', 'h', '$6::timestamptz')}, changed_at = $6,
               alerted_broken = h.alerted_broken AND NOT $7
           FROM ${combinedHealth('$2::jsonb', '$4::jsonb')} c
           WHERE h.bot_id = $1
           RETURNING h.*`,
            [
              botId,
              json(change.signals.delivery),
              optionalDate(change.seenAt.delivery),
              json(change.signals.connection),
              optionalDate(change.seenAt.connection),
              new Date(at),
              change.closeAlert ?? false,
            ],
          ),
        );
        return { botId, before, after: stateOf(written, switchedOff) };
      }),
    );
  }

  /**
   * Bots whose health time alone may change at `now`: a pause over, or a connection reconnecting since before
   * `reconnectingBefore`; and a bot switched off that something is still said of (its switch-off's clear was lost to a
   * stopped process or a refused query, or a connection state came from an instance that had not heard of it yet).
   */
  async agingCandidates(now: number, reconnectingBefore: number): Promise<number[]> {
    const rows = await this.dataSource.query<Array<{ bot_id: number }>>(
      `SELECT bot_id FROM bot_health
       WHERE health <> 'healthy'
         AND ((delivery->>'until')::double precision <= $1
              OR (connection->>'until')::double precision <= $1
              OR (connection->>'reason' = 'reconnecting' AND (connection->>'since')::double precision <= $2)
              OR NOT EXISTS (SELECT 1 FROM ding_talk_bots b WHERE b.id = bot_health.bot_id AND b.is_enabled))
       ORDER BY bot_id`,
      [now, reconnectingBefore],
    );
    return rows.map((row) => row.bot_id);
  }

  /** The health of each of `botIds` that has a row. */
  async healthOf(botIds: readonly number[]): Promise<Map<number, BotHealthView>> {
    if (botIds.length === 0) return new Map();
    const rows = await this.dataSource.query<BotHealthRow[]>(
      `SELECT ${COLUMNS} FROM bot_health WHERE bot_id = ANY($1::integer[])`,
      [[...botIds]],
    );
    return new Map(
      rows.map((row) => [
        row.bot_id,
        { health: row.health, reason: row.reason, detail: row.detail, hint: row.hint, since: row.since },
      ]),
    );
  }

  /** Every bot whose health is `health` (degraded or broken: the few), by id. */
  async botIdsWith(health: Exclude<BotHealth, 'healthy'>): Promise<number[]> {
    const rows = await this.dataSource.query<Array<{ bot_id: number }>>(
      `SELECT bot_id FROM bot_health WHERE health <> 'healthy' AND health = $1 ORDER BY bot_id`,
      [health],
    );
    return rows.map((row) => row.bot_id);
  }

  /** How many bots have each health. */
  async countsByHealth(): Promise<Record<BotHealth, number>> {
    const rows = await this.dataSource.query<Array<{ health: BotHealth; count: string }>>(
      `SELECT health, count(*) AS count FROM bot_health GROUP BY health`,
    );
    const counts = Object.fromEntries(BOT_HEALTHS.map((health) => [health, 0])) as Record<BotHealth, number>;
    for (const row of rowsOf<{ health: BotHealth; count: string }>(rows))
      counts[row.health] = Number(row.count);
    return counts;
  }

  /** A bot deleted meanwhile has no row to write (its row went with it): nothing to do. */
  private async ignoringUnknownBot<T>(write: () => Promise<T>): Promise<T | null> {
    try {
      return await write();
    } catch (error) {
      const code =
        error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : undefined;
      if (code === FOREIGN_KEY_VIOLATION) return null;
      throw error;
    }
  }
}

function stateOf(row: BotHealthRow, switchedOff: boolean): BotHealthState {
  return {
    health: row.health,
    reason: row.reason,
    detail: row.detail,
    hint: row.hint,
    since: row.since.getTime(),
    changedAt: row.changed_at.getTime(),
    signals: { delivery: row.delivery, connection: row.connection },
    seenAt: {
      delivery: row.delivery_seen_at?.getTime() ?? null,
      connection: row.connection_seen_at?.getTime() ?? null,
    },
    switchedOff,
  };
}

function json(signal: HealthSignal | null): string | null {
  return signal === null ? null : JSON.stringify(signal);
}

function optionalDate(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}
