import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * DingTalk blocks a source IP for 5 minutes past 10,000 calls in 20 s (docs/dingtalk/README.md), and every instance
 * behind one NAT counts towards it: one row for the whole cluster, a token bucket of DingTalk calls
 * (DINGTALK_CALL_BUDGET_PER_SECOND) that dispatcher rounds take from as they claim, and the block DingTalk imposed
 * (`blocked_until`: no instance sends before then). Times on the database's clock (database/database-time.ts).
 */
export class DingTalkCallBudget1764002201000 implements MigrationInterface {
  name = 'DingTalkCallBudget1764002201000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE dingtalk_call_budget (
        id             SMALLINT PRIMARY KEY CHECK (id = 1),
        tokens         DOUBLE PRECISION NOT NULL,
        refilled_at_ms DOUBLE PRECISION NOT NULL,
        blocked_until  TIMESTAMPTZ NULL,
        block_hint     TEXT NULL
      )`);
    // Refilled at epoch 0: the first round finds a full bucket.
    await runner.query(`INSERT INTO dingtalk_call_budget (id, tokens, refilled_at_ms) VALUES (1, 0, 0)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE dingtalk_call_budget`);
  }
}
