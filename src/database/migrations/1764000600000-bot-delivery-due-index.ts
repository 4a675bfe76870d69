import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Claiming without scanning every bot. Each bot's delivery state says when it next needs the dispatcher
 * (`next_due_at`: its oldest due message, the end of its rate window or throttle pause, or the end of the lease of a
 * send in flight) and whether a send is in flight (`busy_until`, `busy_owner`). A claim reads the few bots whose
 * moment has come through an index on `next_due_at`, so its cost follows the work due, not the number of bots.
 * Whatever queues a message sets its bot's `next_due_at` in the same transaction (DeliveryQueue.markDue).
 */
export class BotDeliveryDueIndex1764000600000 implements MigrationInterface {
  name = 'BotDeliveryDueIndex1764000600000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE bot_delivery_states
        ADD COLUMN next_due_at TIMESTAMPTZ NULL,
        ADD COLUMN busy_until  TIMESTAMPTZ NULL,
        ADD COLUMN busy_owner  VARCHAR(64) NULL`);
    await runner.query(
      `CREATE INDEX idx_bot_delivery_states_due ON bot_delivery_states (next_due_at) WHERE next_due_at IS NOT NULL`,
    );
    // Bots that already have messages waiting are due now; the dispatcher works out the rest.
    await runner.query(`
      INSERT INTO bot_delivery_states (bot_id, next_due_at)
      SELECT DISTINCT n.bot_id, now() FROM notifications n
      WHERE n.status IN ('pending', 'retrying') AND EXISTS (SELECT 1 FROM ding_talk_bots b WHERE b.id = n.bot_id)
      ON CONFLICT (bot_id) DO UPDATE SET next_due_at = EXCLUDED.next_due_at`);
    // The old claim's per-bot look-ups by status; the queue index (bot_id, id) WHERE waiting serves them now.
    await runner.query(`DROP INDEX IF EXISTS idx_notifications_due`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE INDEX idx_notifications_due ON notifications (status, next_attempt_at)`);
    await runner.query(`DROP INDEX idx_bot_delivery_states_due`);
    await runner.query(`
      ALTER TABLE bot_delivery_states DROP COLUMN next_due_at, DROP COLUMN busy_until, DROP COLUMN busy_owner`);
  }
}
