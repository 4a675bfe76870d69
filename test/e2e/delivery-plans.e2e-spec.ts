import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { givenMenuReport, givenWebhookBot, robotWebhook } from '../support/given';
import { useTestApp } from '../support/use-test-app';
import { waitFor } from '../support/wait-for';

interface PlanCounts {
  name: string;
  generic_plans: string;
  custom_plans: string;
}

/** The statements every round of this test runs: a result recorded, a notification claimed. */
const ROUND_STATEMENTS = [
  'delivery.due-bots',
  'delivery.free-bots',
  'delivery.lease-and-apply',
  'delivery.lock-robots',
  'delivery.pick-due-bots',
  'delivery.record-results',
];

/**
 * A dispatcher round runs its statements on their generic plans (src/notify/delivery/queue/delivery-queue.ts):
 * PostgreSQL would plan some of them afresh on almost every round, which cost more of the database's time than
 * running them. One connection, so that the prepared statements read below are the rounds' own.
 */
describe("a dispatcher round's statements are planned once per connection", () => {
  const { sim, t } = useTestApp({ simulator: true, connection: { poolSize: 1 } });

  it('never a custom plan, also on their first runs', async () => {
    const robot = sim.state.registerRobot();
    await givenWebhookBot(t, { store_id: 951, webhook: robotWebhook(sim, robot) });
    // One report at a time, so that each is claimed by a round of its own and recorded by the next: PostgreSQL
    // makes five custom plans of a statement before it weighs its generic plan.
    for (let report = 1; report <= 7; report++) {
      await givenMenuReport(t, { store_id: 951, dish_name: `第${report}道菜` });
      await waitFor(
        () => sim.state.received({ target: robot.token, accepted: true }).length === report,
        `report ${report} delivered`,
      );
    }
    const plans = await t.app.get(DataSource).query<PlanCounts[]>(
      `SELECT name, generic_plans::text, custom_plans::text FROM pg_prepared_statements
         WHERE name = ANY($1::text[]) ORDER BY name`,
      [ROUND_STATEMENTS],
    );
    expect(plans.map((statement) => statement.name)).toEqual(ROUND_STATEMENTS);
    for (const statement of plans) {
      expect(Number(statement.custom_plans), statement.name).toBe(0);
      expect(Number(statement.generic_plans), statement.name).toBeGreaterThanOrEqual(6);
    }
  });
});
