import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { rowsOf } from '../../../database/query-rows';
import { SizedBot, textBudget } from '../../messages/message-parts';
import { buildDigest, WIDEST_DIGEST_TITLE } from '../../messages/digest-message';
import { FOLDABLE, LEASE_FREE } from './queue-conditions';

const FOLDABLE_OF_BOT = `SELECT n.id, n.title, n.menu_report_id, n.store_id, n.at_mobiles, n.at_user_ids, n.at_all
       FROM notifications n
       WHERE n.bot_id = $1 AND ${FOLDABLE('n')} AND n.store_id = $3 AND n.next_attempt_at <= $2
         AND ${LEASE_FREE('n')}
       ORDER BY n.id LIMIT 1000
       -- Locked until the digest is written: a skip (the bot disabled, deleted or moved) committed meanwhile would
       -- otherwise be overwritten as merged. One committed before the lock was granted drops out here (READ
       -- COMMITTED checks the row again); one that comes later waits and finds the rows merged.
       FOR UPDATE OF n`;
const CHANNELS_OF_BOT = `SELECT bot_type, user_ids, open_conversation_id, agent_id FROM ding_talk_bots WHERE id = $1`;
// Queued when the oldest report it folds was: folding does not make the reports younger (DELIVERY_MAX_AGE_MS).
const INSERT_DIGEST = `INSERT INTO notifications (bot_id, store_id, kind, status, msg_type, title, content, at_mobiles, at_user_ids,
                                  at_all, next_attempt_at, created_at, updated_at, queued_at)
       VALUES ($1, $2, 'digest', 'pending', 'markdown', $3, $4, $5, $6, $7, $8, now(), now(),
               (SELECT min(queued_at) FROM notifications WHERE id = ANY($9::bigint[])))
       RETURNING id`;
// The claim of a lease that ran out goes with the fold: a late result of it must match nothing.
const MERGE_INTO_DIGEST = `UPDATE notifications
         SET status = 'merged', merged_into = $1, updated_at = $3, lease_owner = NULL, lease_expires_at = NULL,
             claim = NULL
         WHERE id = ANY($2::bigint[]) AND status = 'pending'
         RETURNING id`;

/** A waiting menu report a digest may fold. */
interface FoldableRow {
  id: string;
  title: string;
  menu_report_id: number | null;
  store_id: number;
  at_mobiles: string[];
  at_user_ids: string[];
  at_all: boolean;
}

/** What the size of a digest depends on: the bot's channels. */
interface ChannelsRow {
  bot_type: SizedBot['botType'];
  user_ids: string[];
  open_conversation_id: string | null;
  agent_id: string | null;
}

/** What a claim folds a bot's backlog with: the bot, its store and rate, and the claim's time. */
export interface FoldRequest {
  botId: number;
  storeId: number;
  rateLimit: number;
  at: Date;
}

/**
 * When a bot's backlog would wait longer than a minute (more waiting menu-report notifications than it may send in
 * one), the claim folds them into one markdown digest (messages/digest-message.ts), sent in their place. The folded rows stay in the
 * log as `merged`, naming the digest. Retries and half-sent rows are left alone (FOLDABLE): they already went out
 * once, to some target at least.
 */
@Injectable()
export class DigestFoldRepository {
  /** In the claim's transaction: the digest's id, to lease in place of the bot's head; null: nothing to fold. */
  async fold(manager: EntityManager, request: FoldRequest): Promise<string | null> {
    const { botId, storeId, rateLimit, at } = request;
    const waiting: FoldableRow[] = await manager.query(FOLDABLE_OF_BOT, [botId, at, storeId]);
    if (waiting.length <= rateLimit) return null;
    const first = waiting[0];
    // Within what every channel of the bot takes (a stream bot's group: 15,000 bytes of msgParam); the reports that
    // do not fit wait for the next digest.
    const [bot]: ChannelsRow[] = await manager.query(CHANNELS_OF_BOT, [botId]);
    if (!bot) return null;
    const sized: SizedBot = {
      botType: bot.bot_type,
      userIds: bot.user_ids,
      openConversationId: bot.open_conversation_id,
      agentId: bot.agent_id,
    };
    const envelope = {
      msgType: 'markdown' as const,
      atMobiles: first.at_mobiles,
      atUserIds: first.at_user_ids,
      atAll: first.at_all,
    };
    const digest = buildDigest(
      storeId,
      waiting.map((row) => ({ id: String(row.id), title: row.title, menuReportId: row.menu_report_id })),
      textBudget(sized, { ...envelope, title: WIDEST_DIGEST_TITLE, text: '' }),
    );
    if (digest.included.length <= 1) return null;
    const [created]: Array<{ id: string }> = await manager.query(INSERT_DIGEST, [
      botId,
      first.store_id,
      digest.title.slice(0, 200),
      digest.content,
      JSON.stringify(first.at_mobiles),
      JSON.stringify(first.at_user_ids),
      first.at_all,
      at,
      digest.included.map((item) => item.id),
    ]);
    const merged = rowsOf(
      await manager.query(MERGE_INTO_DIGEST, [created.id, digest.included.map((item) => item.id), at]),
    );
    if (merged.length !== digest.included.length) {
      // Cannot happen while the rows are locked; should it, the round is rolled back rather than a digest sent
      // that carries a report which is not merged into it (it would go twice) or was skipped.
      throw new Error(
        `Digest of bot ${botId}: ${merged.length} of ${digest.included.length} reports could be merged`,
      );
    }
    return String(created.id);
  }
}
