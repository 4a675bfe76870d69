import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait-for';
import { useTestApp } from '../support/use-test-app';

/**
 * Memory under load is bounded: requests that need the database wait for a connection in a queue with a ceiling
 * (src/database/waiting-queries-limit.ts), and beyond it are answered 503 with Retry-After at once instead of piling
 * up in the heap. Here the pool has one connection and room for eight waiters (the application's start needs a few);
 * the connection is held by a slow statement while twenty requests arrive.
 */
describe('a saturated database', () => {
  const { t } = useTestApp({ connection: { poolSize: 1, waitingLimit: 8 } });

  it('answers 503 with Retry-After beyond the queue ceiling, and serves the requests within it', async () => {
    const dataSource = t.app.get(DataSource);
    const holding = dataSource.query('SELECT pg_sleep(1.5)');
    await waitFor(() => busy(dataSource), 'the slow statement to hold the only connection');

    const answers = await Promise.all(
      Array.from({ length: 20 }, () => t.request('GET', '/api/v1/dingtalk-bots')),
    );
    await holding;

    const refused = answers.filter((answer) => answer.status === 503);
    const served = answers.filter((answer) => answer.status === 200);
    expect(refused.length + served.length).toBe(20);
    expect(served.length).toBeGreaterThanOrEqual(1);
    // At most eight waited (fewer if a background job held a place in the queue); the others were refused at once.
    expect(served.length).toBeLessThanOrEqual(8);
    expect(refused.length).toBeGreaterThanOrEqual(12);
    for (const answer of refused) {
      expect(answer.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/);
      expect(answer.body).toMatchObject({ code: 503 });
    }
    // Once the slow statement is done, the service answers as before.
    expect((await t.request('GET', '/api/v1/dingtalk-bots')).status).toBe(200);
  });
});

/** True once the pool's one connection is checked out (the slow statement runs on it). */
function busy(dataSource: DataSource): boolean {
  const pool = (dataSource.driver as unknown as { master: { idleCount: number; totalCount: number } }).master;
  return pool.totalCount === 1 && pool.idleCount === 0;
}
