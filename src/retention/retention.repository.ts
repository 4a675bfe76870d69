import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Any constant will do; it only has to be the same in every instance of this service (see run-migrations.ts). */
const RETENTION_LOCK_KEY = 4_024_002;

/** What the retention job deletes, one kind of row per batch statement. */
export type RetentionTarget =
  'notifications' | 'received_bot_messages' | 'daily_summaries' | 'bot_alerts' | 'minted_tokens';

/**
 * The oldest rows of a kind that may go, `$2` at most, older than `$1`. FOR UPDATE SKIP LOCKED passes over a row
 * someone is changing right now (a resend): it is looked at again, as it is then, in the next run.
 *
 * Notifications: finished ones only — `sent`, `merged` (folded into a digest, which carries their text) and
 * `skipped`, and a `failed` test press (it cannot be resent: the button is pressed again). `pending` and `retrying`
 * are work to do, and any other `failed` one waits for someone to resend it. Both
 * `created_at` and `updated_at` must be old: a notification resent yesterday stays. Their attempts go with them
 * (ON DELETE CASCADE). Received messages: handled ones; one still unhandled belongs to a handler at work. Daily
 * summaries: the record that a bot's summary of a day went out; the summary job only ever looks at today's, so an old
 * one only takes room (its notification is a notification like any other, deleted by the first kind). They have no
 * index but their primary key, and need no order: every old one goes, and without ORDER BY the scan stops at the
 * first `$2` old rows (EXPLAIN ANALYZE, 1,000 bots: 2.7 ms a batch with a year's rows to delete, 24 ms with one day's
 * among a month kept; with ORDER BY created_at, 259 ms, a sort of the whole table on disk under FOR UPDATE).
 *
 * Alerts (bot_alerts): what was told, with their webhook deliveries (ON DELETE CASCADE), once none of those is
 * still pending; a bot's latest alert stays while its destinations were told it broke and not yet that it recovered
 * (bot_health.alerted_broken: its alert is open). In id order, which is their order of creation.
 *
 * Minted tokens (minted_tokens, src/auth/): the record of a store admin token, revoked or not, once the token
 * expired before the cutoff. Only an expired one goes: the record of a revoked token that has not expired is what
 * keeps it refused.
 *
 * `id = ANY (ARRAY(…))` rather than a join: the planner then deletes by primary key, where a join on a big table
 * could choose a hash join over a full scan. The plans (EXPLAIN ANALYZE on 200,000 notifications) are in the
 * commit that added this file.
 */
const BATCH_SQL: Record<RetentionTarget, string> = {
  notifications: `
    WITH deleted AS (
      DELETE FROM notifications WHERE id = ANY (ARRAY(
        SELECT id FROM notifications
        WHERE (status IN ('sent', 'merged', 'skipped') OR (status = 'failed' AND kind = 'test'))
          AND created_at < $1 AND updated_at < $1
        ORDER BY created_at
        LIMIT $2
        FOR UPDATE SKIP LOCKED))
      RETURNING 1)
    SELECT count(*)::int AS deleted FROM deleted`,
  received_bot_messages: `
    WITH deleted AS (
      DELETE FROM received_bot_messages WHERE id = ANY (ARRAY(
        SELECT id FROM received_bot_messages
        WHERE handled_at IS NOT NULL AND received_at < $1
        ORDER BY received_at
        LIMIT $2
        FOR UPDATE SKIP LOCKED))
      RETURNING 1)
    SELECT count(*)::int AS deleted FROM deleted`,
  bot_alerts: `
    WITH deleted AS (
      DELETE FROM bot_alerts WHERE id = ANY (ARRAY(
        SELECT a.id FROM bot_alerts a
        WHERE a.created_at < $1
          AND NOT EXISTS (SELECT 1 FROM alert_webhook_deliveries w WHERE w.alert_id = a.id AND w.status = 'pending')
          AND NOT EXISTS (SELECT 1 FROM bot_health h WHERE h.bot_id = a.bot_id AND h.alerted_broken
                            AND a.id = (SELECT max(l.id) FROM bot_alerts l WHERE l.bot_id = a.bot_id))
        ORDER BY a.id
        LIMIT $2
        FOR UPDATE OF a SKIP LOCKED))
      RETURNING 1)
    SELECT count(*)::int AS deleted FROM deleted`,
  minted_tokens: `
    WITH deleted AS (
      DELETE FROM minted_tokens WHERE jti = ANY (ARRAY(
        SELECT jti FROM minted_tokens
        WHERE expires_at < $1
        LIMIT $2
        FOR UPDATE SKIP LOCKED))
      RETURNING 1)
    SELECT count(*)::int AS deleted FROM deleted`,
  daily_summaries: `
    WITH deleted AS (
      DELETE FROM daily_summaries WHERE (bot_id, day) IN (
        SELECT bot_id, day FROM daily_summaries
        WHERE created_at < $1
        LIMIT $2
        FOR UPDATE SKIP LOCKED)
      RETURNING 1)
    SELECT count(*)::int AS deleted FROM deleted`,
};

/**
 * The SQL of the retention job. Each batch is a short transaction of its own, so that the rows it locks are
 * released at once and the delivery queue never waits long behind it.
 */
@Injectable()
export class RetentionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Deletes one batch of at most `limit` rows of `target` older than `before`; answers how many went, or null
   * when another instance holds the retention lock. The lock (taken for the batch's transaction) keeps two
   * instances from deleting side by side: they would only contend for the same rows.
   */
  deleteBatch(target: RetentionTarget, before: Date, limit: number): Promise<number | null> {
    return this.dataSource.transaction(async (manager) => {
      const [lock] = await manager.query<Array<{ locked: boolean }>>(
        'SELECT pg_try_advisory_xact_lock($1) AS locked',
        [RETENTION_LOCK_KEY],
      );
      if (!lock.locked) return null;
      const [result] = await manager.query<Array<{ deleted: number }>>(BATCH_SQL[target], [before, limit]);
      return result.deleted;
    });
  }
}
