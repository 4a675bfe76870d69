import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A stream bot sends one notification to two places, its users (a work notification) and its group. When one of
 * them took the message and the other did not, the retry must go to the other only, or the first gets it twice:
 * `remaining_targets` names the ones still to reach (`["users"]`, `["group"]`); NULL, every target of the bot.
 */
export class NotificationRemainingTargets1764001000000 implements MigrationInterface {
  name = 'NotificationRemainingTargets1764001000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE notifications ADD COLUMN remaining_targets JSONB NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE notifications DROP COLUMN remaining_targets`);
  }
}
