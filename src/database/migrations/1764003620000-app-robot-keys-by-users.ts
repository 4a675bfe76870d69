import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A stream bot without a group was keyed by its app's AgentId (dingtalk/robot-identity.ts): with one app for the
 * whole chain, every store's work-notification bot would share one window of 20 a minute. It is keyed by its app and
 * its users now; the keys are hashes of opened credentials, which SQL cannot compute, so the rows are left without
 * one here and keyed at the next start (DingTalkBotService.onApplicationBootstrap), before any send.
 */
export class AppRobotKeysByUsers1764003620000 implements MigrationInterface {
  name = 'AppRobotKeysByUsers1764003620000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `UPDATE ding_talk_bots SET robot_key = NULL WHERE app_id IS NOT NULL AND open_conversation_id IS NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      `UPDATE ding_talk_bots SET robot_key = NULL WHERE app_id IS NOT NULL AND open_conversation_id IS NULL`,
    );
  }
}
