import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fencing for the delivery leases. Every claim of a notification draws a number from `notification_claims`; the
 * notification (`claim`) and its bot's state row (`busy_claim`) keep the number of the claim that holds them.
 * Recording a result, renewing a lease and freeing the bot all require the number to match, so a send whose lease
 * was lost (taken over after it ran out, or cleared by a resend) can no longer change the row: its owner name alone
 * could not tell an old claim from a new one of the same instance.
 */
export class DeliveryClaims1764002000000 implements MigrationInterface {
  name = 'DeliveryClaims1764002000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE SEQUENCE notification_claims AS BIGINT`);
    await runner.query(`ALTER TABLE notifications ADD COLUMN claim BIGINT NULL`);
    await runner.query(`ALTER TABLE bot_delivery_states ADD COLUMN busy_claim BIGINT NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE bot_delivery_states DROP COLUMN busy_claim`);
    await runner.query(`ALTER TABLE notifications DROP COLUMN claim`);
    await runner.query(`DROP SEQUENCE notification_claims`);
  }
}
