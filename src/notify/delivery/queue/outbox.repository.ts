import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { prepared } from '../../../database/prepared-statements';
import { NotificationStatus } from '../../../events/notification.events';
import { Notification } from '../../entities/notification.entity';
import { LEASE_END } from './queue-conditions';

/** One message for one bot, as whatever causes it (a report, a batch send, a summary) writes it. */
export type OutgoingNotification = Pick<
  Notification,
  | 'botId'
  | 'storeId'
  | 'menuReportId'
  | 'kind'
  | 'status'
  | 'hint'
  | 'msgType'
  | 'title'
  | 'content'
  | 'atMobiles'
  | 'atUserIds'
  | 'atAll'
  | 'partOf'
>;

/** A written notification, as its writer answers for it. */
export interface QueuedNotification {
  id: string;
  botId: number;
  status: NotificationStatus;
}

/** What an enqueue wrote, and the bots it could not mark due because another transaction held their state row. */
export interface Enqueued {
  queued: QueuedNotification[];
  /** To be marked due once the write has committed (NotificationOutbox hands them to the dispatcher). */
  heldBots: number[];
}

/**
 * A write of the caller's that goes into the enqueue statement ahead of the notifications (a CTE: the report that
 * causes them), so that both commit together in one round trip, with or without a transaction around them.
 */
export interface LeadingWrite {
  /** Names the combined statement (prepared once per connection: database/prepared-statements.ts). */
  name: string;
  /** The CTE (`name AS (INSERT …)`), its parameters numbered from `first` on. */
  cte(first: number): string;
  params: readonly unknown[];
}

/**
 * Marks the bots `botIdsQuery` selects (one column) due at `at`, unless a send in flight or a throttle pause keeps
 * them for later. A statement of its own, or a CTE of the statement that writes their notifications. Bots in id
 * order: the lock order of the state rows.
 */
function markDueStatement(botIdsQuery: string, at: string): string {
  return `INSERT INTO bot_delivery_states (bot_id, next_due_at)
    SELECT due.id, ${at}::timestamptz FROM (${botIdsQuery}) AS due(id) ORDER BY due.id
    ON CONFLICT (bot_id) DO UPDATE SET next_due_at = LEAST(
      COALESCE(bot_delivery_states.next_due_at, 'infinity'),
      GREATEST(EXCLUDED.next_due_at, bot_delivery_states.rate_limited_until,
               -- the end of a send's lease (the database's clock) on the caller's clock
               EXCLUDED.next_due_at + (bot_delivery_states.busy_until - now())))`;
}

/**
 * CTEs that mark the bots `botIdsQuery` selects due at `at`, as markDueStatement does, except those whose state row
 * another transaction holds at that moment (SKIP LOCKED): `marked` returns the bots marked. The holder is mostly a
 * dispatcher round, which keeps the state rows of the bots it records and claims until its commit; under a backlog,
 * when most bots have something waiting, one in ten report writes waited 17 ms (median) for a round in the delivery
 * benchmark, queues of nine report writes behind one round, the connection pool stalled with them. Marking such a
 * bot due cannot be left out, for the holder decides the bot's next moment from what its snapshot shows, which is
 * not this write: it is done just after this write commits (NotificationOutbox hands the bots to the dispatcher,
 * whose next round marks them in the same way, trying again shortly while the holder keeps the row), or else by the
 * sweep (queue-upkeep.repository.ts). A bot with no state row yet (its first message) is inserted, waiting should
 * another write insert it at the same moment; so does a row committed after the statement's snapshot and held since.
 */
function markDueUnlessHeld(botIdsQuery: string, at: string): string {
  return `to_mark AS (${botIdsQuery}),
   unheld AS MATERIALIZED (
     SELECT s.bot_id FROM bot_delivery_states s WHERE s.bot_id IN (SELECT id FROM to_mark)
     ORDER BY s.bot_id FOR UPDATE SKIP LOCKED),
   marked AS (${markDueStatement(
     `SELECT t.id FROM to_mark t
      WHERE t.id IN (SELECT bot_id FROM unheld)
         OR NOT EXISTS (SELECT 1 FROM bot_delivery_states s WHERE s.bot_id = t.id)`,
     at,
   )}
     RETURNING bot_id)`;
}

/** How many parameters the enqueue statement takes: a write that goes first in it numbers its own from the next. */
const ENQUEUE_PARAMETERS = 14;

/**
 * The rows, and their bots marked due: a CTE, so both or neither, in one round trip; after the caller's write.
 *
 * With a leading write (a report, whose bots were read by a statement of their own before this one), only the rows
 * of bots that are still there, enabled and in the row's store are written, and only those bots marked due: a bot
 * deleted between the two statements would otherwise break the due mark's foreign key (23503: a 500, nothing kept),
 * and one disabled or moved meanwhile would get a notification that is only ever skipped. The bots are locked FOR
 * KEY SHARE (what the foreign key's own check takes, so no new wait), before their state rows: a deletion waiting
 * for this statement's commit cannot delete a bot this statement marks, and the lock order is the deletion's (the
 * bot, then its state row by its cascade).
 */
function enqueueStatement(leading: string | null): string {
  if (leading === null) {
    return `WITH ${markDueUnlessHeld(
      "SELECT DISTINCT b.id FROM unnest($1::integer[], $5::text[]) AS b(id, status) WHERE b.status = 'pending'",
      '$13',
    )}
   ${insertRows('')}`;
  }
  return `WITH ${leading},
   bots AS MATERIALIZED (
     SELECT b.id, b.store_id FROM ding_talk_bots b
     WHERE b.id = ANY($1::integer[]) AND b.is_enabled ORDER BY b.id FOR KEY SHARE),
   ${markDueUnlessHeld(
     `SELECT DISTINCT m.id FROM unnest($1::integer[], $2::integer[], $5::text[]) AS m(id, store_id, status)
      JOIN bots ON bots.id = m.id AND bots.store_id = m.store_id WHERE m.status = 'pending'`,
     '$13',
   )}
   ${insertRows('JOIN bots ON bots.id = m.bot_id AND bots.store_id = m.store_id')}`;
}

/** The INSERT of the rows (`join`: which of them are written), in the order given. */
function insertRows(join: string): string {
  return `INSERT INTO notifications (bot_id, store_id, menu_report_id, kind, status, hint, msg_type, title, content,
                              at_mobiles, at_user_ids, at_all, part_of, next_attempt_at, queued_at)
   SELECT m.bot_id, m.store_id, m.menu_report_id, m.kind, m.status, m.hint, m.msg_type, m.title, m.content,
          m.at_mobiles::jsonb, m.at_user_ids::jsonb, m.at_all, m.part_of, $13::timestamptz, $13::timestamptz
   FROM unnest($1::integer[], $2::integer[], $3::integer[], $4::text[], $5::text[], $6::text[], $7::text[],
               $8::text[], $9::text[], $10::text[], $11::text[], $12::boolean[], $14::uuid[]) WITH ORDINALITY
        AS m(bot_id, store_id, menu_report_id, kind, status, hint, msg_type, title, content, at_mobiles,
             at_user_ids, at_all, part_of, position)
   ${join}
   ORDER BY m.position
   RETURNING id, bot_id, status, bot_id IN (SELECT bot_id FROM marked) AS due_marked`;
}

const ENQUEUE = prepared('outbox.enqueue', enqueueStatement(null));
/** The enqueue statement after each leading write, by the write's name. */
const AFTER = new Map<string, string>();

function enqueueAfter(leading: LeadingWrite): string {
  let text = AFTER.get(leading.name);
  if (text === undefined) {
    text = prepared(`outbox.enqueue+${leading.name}`, enqueueStatement(leading.cte(ENQUEUE_PARAMETERS + 1)));
    AFTER.set(leading.name, text);
  }
  return text;
}

/** One row written already leased by its writer (a new claim number), its bot not marked due: nobody else sends it. */
const ENQUEUE_CLAIMED = `INSERT INTO notifications (bot_id, store_id, menu_report_id, kind, status, hint, msg_type, title,
                              content, at_mobiles, at_user_ids, at_all, part_of, next_attempt_at, queued_at,
                              lease_owner, lease_expires_at, claim)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb, $12, $13, $14, $14, $15, ${LEASE_END('$16')},
          nextval('notification_claims'))
  RETURNING id, claim`;

const MARK_DUE = `${markDueStatement('SELECT b.id FROM ding_talk_bots b WHERE b.id = ANY($1::integer[])', '$2')}
  RETURNING bot_id`;

/** MARK_DUE without waiting: answers the bots (still there) whose state row another transaction holds. */
const MARK_DUE_UNLESS_HELD = `WITH ${markDueUnlessHeld('SELECT b.id FROM ding_talk_bots b WHERE b.id = ANY($1::integer[])', '$2')}
  SELECT t.id AS bot_id FROM to_mark t WHERE t.id NOT IN (SELECT bot_id FROM marked) ORDER BY t.id`;

/**
 * The door's SQL: the rows written (with their bots marked due in the same statement, but for those another
 * transaction holds: markDueUnlessHeld) and the rows written again (a resend), in the caller's transaction.
 * NotificationOutbox (notification-outbox.ts) is the door that uses it.
 */
@Injectable()
export class OutboxRepository {
  /**
   * The rows, in one statement whatever their number, after the caller's write if it hands one over (LeadingWrite),
   * due at `now`; their bots marked due in the same statement where not held. Rows get ascending ids in the order
   * given. Answers
   * the rows written, in id order (with a leading write, only those of bots still enabled in the row's store), and
   * the bots of pending rows left unmarked because another transaction held their state row (markDueUnlessHeld).
   */
  async enqueue(
    manager: EntityManager,
    messages: readonly OutgoingNotification[],
    now: Date,
    leading?: LeadingWrite,
  ): Promise<Enqueued> {
    const rows: Array<{ id: string; bot_id: number; status: NotificationStatus; due_marked: boolean }> =
      await manager.query(leading ? enqueueAfter(leading) : ENQUEUE, [
        messages.map((m) => m.botId),
        messages.map((m) => m.storeId),
        messages.map((m) => m.menuReportId),
        messages.map((m) => m.kind),
        messages.map((m) => m.status),
        messages.map((m) => m.hint),
        messages.map((m) => m.msgType),
        messages.map((m) => m.title),
        messages.map((m) => m.content),
        messages.map((m) => JSON.stringify(m.atMobiles)),
        messages.map((m) => JSON.stringify(m.atUserIds)),
        messages.map((m) => m.atAll),
        now,
        messages.map((m) => m.partOf),
        ...(leading?.params ?? []),
      ]);
    const heldBots = new Set<number>();
    for (const row of rows) if (row.status === 'pending' && !row.due_marked) heldBots.add(row.bot_id);
    return {
      queued: rows
        .map((row) => ({ id: String(row.id), botId: row.bot_id, status: row.status }))
        .sort((a, b) => Number(a.id) - Number(b.id)),
      heldBots: [...heldBots],
    };
  }

  /**
   * One row, due at `now`, written leased to `lease.owner` for `lease.ms` of the database's clock under a new claim
   * number, and its bot not marked due: the writer sends it itself (the test button). Answers its id and claim.
   */
  async enqueueClaimed(
    manager: EntityManager,
    message: OutgoingNotification,
    now: Date,
    lease: { owner: string; ms: number },
  ): Promise<{ id: string; claim: string }> {
    const m = message;
    const [row]: Array<{ id: string; claim: string }> = await manager.query(ENQUEUE_CLAIMED, [
      m.botId,
      m.storeId,
      m.menuReportId,
      m.kind,
      m.status,
      m.hint,
      m.msgType,
      m.title,
      m.content,
      JSON.stringify(m.atMobiles),
      JSON.stringify(m.atUserIds),
      m.atAll,
      m.partOf,
      now,
      lease.owner,
      lease.ms,
    ]);
    return { id: String(row.id), claim: String(row.claim) };
  }

  /**
   * The bots are due at `at`, unless a send in flight or a throttle pause keeps them for later: a resend, in its
   * transaction before requeueing the row; the dispatcher, for bots whose notifications could not mark them (it
   * waits for the holder then: see markDueUnlessHeld for the one that does not). Returns the bots it marked: a bot
   * that was deleted meanwhile has no queue state any more (and a notification of it can no longer be sent).
   */
  async markDue(manager: EntityManager, botIds: readonly number[], at: Date): Promise<Set<number>> {
    if (botIds.length === 0) return new Set();
    const rows: Array<{ bot_id: number }> = await manager.query(MARK_DUE, [botIds, at]);
    return new Set(rows.map((row) => row.bot_id));
  }

  /**
   * As markDue, except for the bots whose state row another transaction holds at that moment: those are answered
   * (bots deleted meanwhile are neither marked nor answered). A statement of its own.
   */
  async markDueUnlessHeld(manager: EntityManager, botIds: readonly number[], at: Date): Promise<number[]> {
    if (botIds.length === 0) return [];
    const rows: Array<{ bot_id: number }> = await manager.query(MARK_DUE_UNLESS_HELD, [botIds, at]);
    return rows.map((row) => row.bot_id);
  }

  /**
   * A resend: the notification queued again, due at `now`, with a fresh retry schedule; its attempts so far stay in
   * the log. Its claim is cleared: a late result of an earlier send (one whose lease ran out or was taken over) no
   * longer matches it and leaves the resend in charge. False when the row cannot be queued again now: a send of it
   * is in flight (its lease holds), or it is a report whose digest carried it meanwhile. Call markDue for its bot
   * first, in the same transaction (the lock order of the delivery queue: the bot's state row, then the row).
   */
  async requeue(manager: EntityManager, id: string, now: Date): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(Notification)
      .set({
        status: 'pending',
        attempts: 0,
        nextAttemptAt: now,
        lastError: null,
        hint: null,
        mergedInto: null,
        sentAt: null,
        // A work notification goes again to the users who did not get it, not to those who did (DingTalk would
        // drop the same content to them the same day anyway: docs/dingtalk/work-notifications.md). A user DingTalk
        // never confirmed goes again as `unanswered`: should DingTalk drop the repeat as the same content (143106),
        // the earlier send arrived and the user counts as delivered (arrivedEarlier in recipient-outcomes.ts).
        recipients: () =>
          `(SELECT jsonb_agg(CASE WHEN r->>'outcome' = 'delivered' THEN r
                                  ELSE jsonb_set(r, '{outcome}', '"unanswered"') END)
            FROM jsonb_array_elements(recipients) r
            WHERE r->>'outcome' IN ('delivered', 'unconfirmed', 'unanswered'))`,
        leaseOwner: null,
        leaseExpiresAt: null,
        claim: null,
        // Its age (DELIVERY_MAX_AGE_MS) starts again: an old notification resent is not expired at once.
        queuedAt: now,
      })
      .where('id = :id', { id })
      // A merged report goes again only while its digest did not carry it (the digest may be resent meanwhile).
      .andWhere(
        `(status <> 'merged' OR EXISTS (SELECT 1 FROM notifications d
                                        WHERE d.id = notifications.merged_into AND d.status IN ('failed', 'skipped')))`,
      )
      // Leases end by the database's clock (queue-conditions.ts).
      .andWhere('(lease_expires_at IS NULL OR lease_expires_at <= now())')
      .execute();
    return result.affected !== 0;
  }
}
