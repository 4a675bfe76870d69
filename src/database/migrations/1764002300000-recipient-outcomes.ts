import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * DingTalk's "yes" to a send is not "everyone got it": a work notification is only queued (its daily limits drop
 * messages silently, docs/dingtalk/work-notifications.md), and a one-to-one robot send names the users it throttled
 * or does not know (docs/dingtalk/robot-messages.md). What became of a message for each user is kept:
 * `notifications.recipients` (`[{userId, outcome, errcode}]`, a stream bot's users; a retry goes to the ones that can
 * still get it), `notifications.target_outcomes` (`[{target, standing}]`, each target of a stream bot), and
 * `received_bot_messages.reply_recipients` (the users a one-to-one reply went to). NULL: nothing known yet.
 */
export class RecipientOutcomes1764002300000 implements MigrationInterface {
  name = 'RecipientOutcomes1764002300000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE notifications ADD COLUMN recipients JSONB NULL, ADD COLUMN target_outcomes JSONB NULL`,
    );
    await runner.query(`ALTER TABLE received_bot_messages ADD COLUMN reply_recipients JSONB NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE received_bot_messages DROP COLUMN reply_recipients`);
    await runner.query(`ALTER TABLE notifications DROP COLUMN recipients, DROP COLUMN target_outcomes`);
  }
}
