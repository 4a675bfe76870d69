import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a notification was last queued: written, or resent by an operator, on the application's clock. Its age,
 * for DELIVERY_MAX_AGE_MS (a notification still waiting past it is given up as `expired`) and for the
 * oldest-pending gauge, counts from here; `created_at` stays the row's birth, so that a resend of an old
 * notification is not expired at once. A digest takes the oldest of the rows it folds.
 */
export class NotificationQueuedAt1764003000000 implements MigrationInterface {
  name = 'NotificationQueuedAt1764003000000';

  async up(runner: QueryRunner): Promise<void> {
    // now() is stable: the column is added without rewriting the table; only the waiting rows are then set.
    await runner.query(`ALTER TABLE notifications ADD COLUMN queued_at TIMESTAMPTZ NOT NULL DEFAULT now()`);
    await runner.query(
      `UPDATE notifications SET queued_at = created_at WHERE status IN ('pending', 'retrying')`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE notifications DROP COLUMN queued_at`);
  }
}
