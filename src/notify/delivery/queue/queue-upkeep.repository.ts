import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { prepared } from '../../../database/prepared-statements';
import { rowsOf } from '../../../database/query-rows';
import { IN_TURN, LEASE_FREE, WAITING } from './queue-conditions';

const SKIPPED_HINT =
  'The bot was disabled or deleted before this notification was sent; resend it once the bot is enabled again.';
const MOVED_HINT =
  "The bot was moved to another store before this notification was sent: it belongs to the bot's old store, so it " +
  "does not go to the bot's new destination.";
const UNFINISHED_TEST_HINT =
  'The service stopped while sending this test message, before it could record what DingTalk answered: whether ' +
  'it arrived is unknown. A test message is never sent again on its own: press the test button again.';

// The rows are locked in id order, as a digest's fold locks them: the two never wait for each other in a cycle. A
// test message waits only while the click that wrote it holds its lease: one whose lease ran out is that click's,
// unfinished (the service stopped), and goes too.
const SKIP_UNDELIVERABLE = `WITH doomed AS (
         SELECT n.id FROM notifications n
         WHERE n.status IN ${WAITING} AND ${LEASE_FREE('n')}
           AND ($3::integer[] IS NULL OR n.bot_id = ANY($3::integer[]))
           AND (n.kind = 'test' OR NOT EXISTS (SELECT 1 FROM ding_talk_bots b
                                               WHERE b.id = n.bot_id AND b.is_enabled AND b.store_id = n.store_id))
         ORDER BY n.id
         FOR UPDATE OF n)
       , skipped AS (
         UPDATE notifications n
         SET status = 'skipped', lease_owner = NULL, lease_expires_at = NULL, claim = NULL, updated_at = $1,
             hint = CASE WHEN n.kind = 'test' THEN $5
                         WHEN EXISTS (SELECT 1 FROM ding_talk_bots b WHERE b.id = n.bot_id AND b.is_enabled)
                         THEN $4 ELSE $2 END
         FROM doomed WHERE n.id = doomed.id
         RETURNING n.id, n.kind)
       -- The reports folded into a skipped digest did not arrive either: said on them, as for a failed digest
       -- (recording.repository.ts), or they would sit as merged, looking delivered.
       UPDATE notifications m
       SET hint = 'Folded into digest ' || d.id || ', which was skipped (see its hint): this report did not arrive. '
                  || 'Resend notification ' || d.id || ' (or this one) once the bot can send again.'
       FROM skipped d
       WHERE d.kind = 'digest' AND m.merged_into = d.id AND m.status = 'merged'`;
/**
 * How far off a bot's due moment may be while a notification of it is due now, before the sweep calls it missed: past
 * anything a claim sets for a robot's window (a minute and its margin, at most another minute) or an app's, and short
 * of a retry's back-off. A pause (the bot's, its robot's, its app's) is not a miss: such a bot is left alone.
 */
const MISSED_AFTER = "interval '3 minutes'";
// Bots whose waiting rows nobody marked due: no due moment at all, or one far off while a row is due now (and its turn:
// not a part behind an earlier one) and nothing (a send in flight, a throttle pause) holds the bot. A write marks its
// bot due in its own commit, except where a round held the state row: its instance marks it just after
// (outbox.repository.ts markDueUnlessHeld), and should that instance stop first, the round may have set a moment far
// off from its snapshot (a retry's), or none. Only such bots are touched: ON CONFLICT DO UPDATE locks the conflicting
// row even where its WHERE leaves it alone, so taking every bot with waiting rows locked, until the commit, the state
// rows of all the busy bots of the cluster, and each new report of one of them waited behind the sweep, which itself
// waited behind the rounds' locks (the delivery benchmark saw convoys of seven report writes). Read from the
// statement's snapshot: a bot whose due moment a round clears just after is made due by the next sweep.
const MISSED = (s: string, dueAt: string) =>
  `${s}.next_due_at > ${dueAt} + ${MISSED_AFTER} AND (${s}.busy_until IS NULL OR ${s}.busy_until <= now())
   AND (${s}.rate_limited_until IS NULL OR ${s}.rate_limited_until <= ${dueAt})`;
const MARK_UNMARKED_DUE = `INSERT INTO bot_delivery_states (bot_id, next_due_at)
       SELECT n.bot_id, $1::timestamptz FROM notifications n
       WHERE n.status IN ${WAITING} AND EXISTS (SELECT 1 FROM ding_talk_bots b WHERE b.id = n.bot_id)
         AND NOT EXISTS (SELECT 1 FROM bot_delivery_states s
                         LEFT JOIN ding_talk_bots b ON b.id = s.bot_id
                         LEFT JOIN robot_rate_windows robot ON robot.robot_key = COALESCE(b.robot_key, 'bot:' || s.bot_id)
                         LEFT JOIN robot_rate_windows app ON app.robot_key = b.app_key
                         WHERE s.bot_id = n.bot_id AND s.next_due_at IS NOT NULL
                           AND NOT (n.next_attempt_at <= $1 AND ${LEASE_FREE('n')} AND ${IN_TURN('n')}
                                    AND ${MISSED('s', '$1::timestamptz')}
                                    AND COALESCE(robot.paused_until <= $1, true)
                                    AND COALESCE(app.paused_until <= $1, true)))
       GROUP BY n.bot_id ORDER BY n.bot_id
       ON CONFLICT (bot_id) DO UPDATE SET next_due_at = EXCLUDED.next_due_at
       WHERE bot_delivery_states.next_due_at IS NULL OR ${MISSED('bot_delivery_states', 'EXCLUDED.next_due_at')}`;
/** How many notifications one statement of the expiry job gives up at most. */
const EXPIRE_BATCH = 1_000;
// Only notifications: it takes no state row, so it cannot deadlock with a round (state rows, then notifications),
// and SKIP LOCKED passes over a row a round holds. The waiting rows are found through idx_notifications_queue.
const EXPIRE = prepared(
  'delivery.expire',
  `UPDATE notifications n
   SET status = 'failed', last_error = 'expired', hint = $3, updated_at = $2,
       lease_owner = NULL, lease_expires_at = NULL, claim = NULL
   WHERE n.id IN (SELECT e.id FROM notifications e
                  WHERE e.status IN ${WAITING} AND e.queued_at <= $1 AND ${LEASE_FREE('e')}
                  ORDER BY e.id LIMIT $4 FOR UPDATE SKIP LOCKED)
   RETURNING n.id`,
);

/**
 * What keeps the queue honest besides the rounds: waiting rows that can no longer go (their bot disabled, deleted
 * or moved) skipped with why, bots whose waiting rows nobody marked due made due, and rows too old given up.
 */
@Injectable()
export class QueueUpkeepRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Nothing may reach a disabled or deleted bot, nor a bot moved to another store than the notification's (its new
   * group is not the old store's): such waiting notifications of `botIds` (null: of every bot) are skipped, with
   * why; so is a test message whose click never recorded its send. In `manager`'s transaction (a claim's), or a
   * statement of its own.
   */
  async skipUndeliverable(manager: EntityManager, at: Date, botIds: readonly number[] | null): Promise<void> {
    await manager.query(SKIP_UNDELIVERABLE, [at, SKIPPED_HINT, botIds, MOVED_HINT, UNFINISHED_TEST_HINT]);
  }

  /**
   * A bot was disabled, deleted or moved to another store: what waits for it (of its old store) is skipped now
   * rather than at its next claim.
   */
  async skipWaitingOf(botId: number, now: number): Promise<void> {
    await this.skipUndeliverable(this.dataSource.manager, new Date(now), [botId]);
  }

  /**
   * The safety net, run now and then: skip what waits for a disabled, deleted or moved bot, and make due any bot whose
   * waiting notifications nobody marked due (no due moment, or a missed one: MARK_UNMARKED_DUE).
   */
  async sweep(now: number): Promise<void> {
    const at = new Date(now);
    await this.skipUndeliverable(this.dataSource.manager, at, null);
    await this.dataSource.query(MARK_UNMARKED_DUE, [at]);
  }

  /**
   * Gives up the waiting notifications queued at or before `queuedBefore` (the caller's clock): `failed`, reason
   * `expired`, with a hint. Never one whose send is in flight (its lease holds). Batches of EXPIRE_BATCH, each its
   * own short statement; rows another transaction holds are left for the next run. Returns how many expired.
   */
  async expire(queuedBefore: number, now: number, hint: string): Promise<number> {
    let expired = 0;
    for (;;) {
      const rows = rowsOf(
        await this.dataSource.query(EXPIRE, [new Date(queuedBefore), new Date(now), hint, EXPIRE_BATCH]),
      );
      expired += rows.length;
      if (rows.length < EXPIRE_BATCH) return expired;
    }
  }
}
