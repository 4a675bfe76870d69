import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { givenMenuReport, givenWebhookBot, robotWebhook } from '../support/given';
import { useTestApp } from '../support/use-test-app';
import { waitFor } from '../support/wait-for';

interface PlanCounts {
  generic_plans: string;
  custom_plans: string;
}

/**
 * The claim reads its due bots (DUE_BOTS, src/notify/delivery/queue/claim.repository.ts) on the statement's generic
 * plan: PostgreSQL would plan it afresh on almost every round, which cost more of the database's time than running
 * it. One connection, so that the prepared statements read below are the rounds' own.
 */
describe('a claim plans its bot read once per connection', () => {
  const { sim, t } = useTestApp({ simulator: true, connection: { poolSize: 1 } });

  it('never a custom plan, also for its first runs', async () => {
    const robot = sim.state.registerRobot();
    await givenWebhookBot(t, { store_id: 951, webhook: robotWebhook(sim, robot) });
    // Each report its own round: PostgreSQL makes five custom plans of a statement before it weighs a generic one.
    for (let report = 1; report <= 7; report++) {
      await givenMenuReport(t, { store_id: 951, dish_name: `第${report}道菜` });
      await waitFor(
        () => sim.state.received({ target: robot.token, accepted: true }).length === report,
        `report ${report} delivered`,
      );
    }
    const [plans] = await t.app
      .get(DataSource)
      .query<PlanCounts[]>(
        `SELECT generic_plans::text, custom_plans::text FROM pg_prepared_statements WHERE name = 'delivery.due-bots'`,
      );
    expect(plans).toBeDefined();
    expect(Number(plans.custom_plans)).toBe(0);
    expect(Number(plans.generic_plans)).toBeGreaterThanOrEqual(7);
  });
});
