import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { prepared } from '../../../database/prepared-statements';
import { rowsOf } from '../../../database/query-rows';
import { ClaimedNotification } from './claimed-notification';
import { LEASE_END, WAITING } from './queue-conditions';

/** The bots' state rows, locked in id order first: the lock order (a bot's state row before its notifications). */
const LOCK_STATES = prepared(
  'delivery.lock-states',
  `SELECT bot_id FROM bot_delivery_states WHERE bot_id = ANY($1::integer[]) ORDER BY bot_id FOR UPDATE`,
);
const RENEW_BOTS = prepared(
  'delivery.renew-bots',
  `UPDATE bot_delivery_states s SET busy_until = ${LEASE_END('$3')}, next_due_at = $4
   FROM unnest($1::integer[], $2::bigint[]) AS c(bot_id, claim)
   WHERE s.bot_id = ANY($1::integer[]) AND s.bot_id = c.bot_id AND s.busy_claim = c.claim`,
);
const RENEW_NOTIFICATIONS = prepared(
  'delivery.renew-notifications',
  `UPDATE notifications n SET lease_expires_at = ${LEASE_END('$3')}
   FROM unnest($1::bigint[], $2::bigint[]) AS c(id, claim)
   WHERE n.id = ANY($1::bigint[]) AND n.id = c.id AND n.claim = c.claim AND n.status IN ${WAITING}
   RETURNING n.id`,
);
const RELEASE_BOTS = `UPDATE bot_delivery_states s
         SET busy_until = NULL, busy_owner = NULL, busy_claim = NULL, next_due_at = $3
         FROM unnest($1::integer[], $2::bigint[]) AS c(bot_id, claim)
         WHERE s.bot_id = ANY($1::integer[]) AND s.bot_id = c.bot_id AND s.busy_claim = c.claim`;
const RELEASE_NOTIFICATIONS = `UPDATE notifications n SET lease_owner = NULL, lease_expires_at = NULL, claim = NULL
           FROM unnest($1::bigint[], $2::bigint[]) AS c(id, claim)
           WHERE n.id = ANY($1::bigint[]) AND n.id = c.id AND n.claim = c.claim AND n.status IN ${WAITING}
           RETURNING n.id`;
const RELEASE_ALL_BOTS = `UPDATE bot_delivery_states SET busy_until = NULL, busy_owner = NULL, busy_claim = NULL, next_due_at = $1
         WHERE busy_owner IS NOT NULL`;
const RELEASE_ALL_NOTIFICATIONS = `UPDATE notifications SET lease_owner = NULL, lease_expires_at = NULL, claim = NULL
           WHERE lease_owner IS NOT NULL AND status IN ${WAITING} RETURNING id`;

/**
 * The leases of claims after the claim: extended while their sends run, given back when a send never began. A lease
 * is two rows, the notification's (`lease_expires_at`, `claim`) and its bot's (`busy_until`, `busy_claim`), and is
 * changed only where the claim's number still holds it (the fencing token). Ends are on the database's clock.
 */
@Injectable()
export class LeaseRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Extends the leases of sends still in flight by `leaseMs` of the database's clock (a slow stream send with
   * token re-fetches may outlast one lease); `now` is the caller's clock, for the bots' next due moment. Returns the
   * ids whose claim still holds the row: a send missing from it was taken over or resent, and should stop.
   */
  async renew(sends: readonly ClaimedNotification[], leaseMs: number, now: number): Promise<Set<string>> {
    if (sends.length === 0) return new Set();
    return this.dataSource.transaction(async (manager) => {
      const bots = claimsByBot(sends);
      await manager.query(LOCK_STATES, [bots.map(([botId]) => botId)]);
      await manager.query(RENEW_BOTS, [
        bots.map(([botId]) => botId),
        bots.map(([, claim]) => claim),
        leaseMs,
        new Date(now + leaseMs),
      ]);
      const rows = rowsOf<{ id: string }>(
        await manager.query(RENEW_NOTIFICATIONS, [
          sends.map((send) => send.id),
          sends.map((send) => send.claim),
          leaseMs,
        ]),
      );
      return new Set(rows.map((row) => String(row.id)));
    });
  }

  /**
   * Gives back claims whose send never started (shutdown; a bot deleted meanwhile), so that the rows are due
   * again at once for whoever runs. Only where the claim still holds the row. Returns how many were given back.
   */
  async release(claims: readonly ClaimedNotification[], now: number): Promise<number> {
    if (claims.length === 0) return 0;
    return this.dataSource.transaction(async (manager) => {
      const bots = claimsByBot(claims);
      await manager.query(LOCK_STATES, [bots.map(([botId]) => botId)]);
      await manager.query(RELEASE_BOTS, [
        bots.map(([botId]) => botId),
        bots.map(([, claim]) => claim),
        new Date(now),
      ]);
      return rowsOf(
        await manager.query(RELEASE_NOTIFICATIONS, [
          claims.map((claimed) => claimed.id),
          claims.map((claimed) => claimed.claim),
        ]),
      ).length;
    });
  }

  /**
   * With the embedded database only one process can run (DATA_DIR is locked), so every lease found at start-up
   * belongs to a process that died: they need not run out first.
   */
  async releaseAll(now: number): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(RELEASE_ALL_BOTS, [new Date(now)]);
      return rowsOf(await manager.query(RELEASE_ALL_NOTIFICATIONS)).length;
    });
  }
}

/** Each bot of the claims once, with its claim, in id order (the lock order). */
function claimsByBot(claims: readonly ClaimedNotification[]): Array<[number, string]> {
  return [...new Map(claims.map((claimed) => [claimed.botId, claimed.claim])).entries()].sort(
    ([a], [b]) => a - b,
  );
}
