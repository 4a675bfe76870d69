import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/**
 * Marks the bots `botIdsQuery` selects (one column) due at `at`, unless a send in flight or a throttle pause keeps
 * them for later. A statement of its own, or a CTE of the statement that writes their notifications. Bots in id
 * order: the lock order of the state rows.
 */
export function markDueStatement(botIdsQuery: string, at: string): string {
  return `INSERT INTO bot_delivery_states (bot_id, next_due_at)
    SELECT due.id, ${at}::timestamptz FROM (${botIdsQuery}) AS due(id) ORDER BY due.id
    ON CONFLICT (bot_id) DO UPDATE SET next_due_at = LEAST(
      COALESCE(bot_delivery_states.next_due_at, 'infinity'),
      GREATEST(EXCLUDED.next_due_at, bot_delivery_states.rate_limited_until,
               -- the end of a send's lease (the database's clock) on the caller's clock
               EXCLUDED.next_due_at + (bot_delivery_states.busy_until - now())))`;
}

/**
 * The door's SQL: what marks bots due when their notifications are written or written again (the outbox, a
 * resend), in the same transaction as the rows.
 */
@Injectable()
export class OutboxRepository {
  /**
   * Whatever queues notifications calls this in the same transaction, after writing them: their bots are due at
   * `at`, unless a send in flight or a throttle pause keeps them for later. Returns the bots it marked: a bot that
   * was deleted meanwhile has no queue state any more (and a notification of it can no longer be sent).
   */
  async markDue(manager: EntityManager, botIds: readonly number[], at: Date): Promise<Set<number>> {
    if (botIds.length === 0) return new Set();
    const rows: Array<{ bot_id: number }> = await manager.query(
      `${markDueStatement('SELECT b.id FROM ding_talk_bots b WHERE b.id = ANY($1::integer[])', '$2')} RETURNING bot_id`,
      [botIds, at],
    );
    return new Set(rows.map((row) => row.bot_id));
  }
}
