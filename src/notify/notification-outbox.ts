import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { prepared } from '../database/prepared-statements';
import { markDueStatement } from './delivery/queue/outbox.repository';
import { NotificationStatus } from '../events/notification.events';
import { Notification } from './entities/notification.entity';

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

/** How many parameters the enqueue statement takes: a write that goes first in it numbers its own from the next. */
const ENQUEUE_PARAMETERS = 14;

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
    return `WITH marked AS (${markDueStatement(
      "SELECT DISTINCT b.id FROM unnest($1::integer[], $5::text[]) AS b(id, status) WHERE b.status = 'pending'",
      '$13',
    )})
   ${insertRows('')}`;
  }
  return `WITH ${leading},
   bots AS MATERIALIZED (
     SELECT b.id, b.store_id FROM ding_talk_bots b
     WHERE b.id = ANY($1::integer[]) AND b.is_enabled ORDER BY b.id FOR KEY SHARE),
   marked AS (${markDueStatement(
     `SELECT DISTINCT m.id FROM unnest($1::integer[], $2::integer[], $5::text[]) AS m(id, store_id, status)
      JOIN bots ON bots.id = m.id AND bots.store_id = m.store_id WHERE m.status = 'pending'`,
     '$13',
   )})
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
   RETURNING id, bot_id, status`;
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

/**
 * The one way into the delivery queue: writes notifications inside the caller's transaction and marks their bots
 * due in the same commit, so that once the caller's transaction commits, the messages will be delivered whatever
 * happens next. Rows get ascending ids in the order given: the parts of a message (one `partOf`) leave in id order.
 * One statement for any number of rows, and for the write that causes them if the caller hands it over
 * (LeadingWrite): this is on the path of every report.
 */
@Injectable()
export class NotificationOutbox {
  constructor(private readonly clock: Clock) {}

  async enqueue(
    manager: EntityManager,
    messages: readonly OutgoingNotification[],
    leading?: LeadingWrite,
  ): Promise<QueuedNotification[]> {
    if (messages.length === 0 && !leading) return [];
    // Due now by the dispatcher's clock (the database's now() is not the clock tests control).
    const now = new Date(this.clock.now());
    const rows: Array<{ id: string; bot_id: number; status: NotificationStatus }> = await manager.query(
      leading ? enqueueAfter(leading) : ENQUEUE,
      [
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
      ],
    );
    return rows
      .map((row) => ({ id: String(row.id), botId: row.bot_id, status: row.status }))
      .sort((a, b) => Number(a.id) - Number(b.id));
  }
}
