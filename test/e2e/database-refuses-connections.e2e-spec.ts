import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TestApp } from '../support/test-app';
import { expectDatabaseAway } from '../support/database-away';
import { ThrowawayPostgres } from '../support/throwaway-postgres';
import { waitFor } from '../support/wait-for';

const DATABASE = 'test_outage';

/**
 * The server is up but refuses the service's database: `ALTER DATABASE … ALLOW_CONNECTIONS false` (an operator
 * fencing a database during maintenance) answers every new connection with SQLSTATE 55000, and the sessions already
 * open are terminated (57P01). It is the database being away, as a stopped server is: every route answers 503 with
 * Retry-After in the envelope, never a 500, and once connections are allowed again everything works. A server of
 * this test's own (ThrowawayPostgres), so the same test runs whichever database the rest of the suite uses.
 */
describe('a database that refuses connections', () => {
  let pg: ThrowawayPostgres;
  let t: TestApp;
  let admin: Client;

  beforeAll(async () => {
    pg = await ThrowawayPostgres.start();
    t = await startTestApp({ database: await pg.createDatabase(), env: { LOG_LEVEL: 'info' } });
    admin = new Client({ connectionString: pg.url(), connectionTimeoutMillis: 10_000 });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.query(`ALTER DATABASE "${DATABASE}" ALLOW_CONNECTIONS true`).catch(() => undefined);
    await admin?.end();
    await t?.close();
    await pg?.destroy();
  });

  it('answers 503 with Retry-After on reads and writes while refused, and works again once allowed', async () => {
    const report = { store_id: 1, dish_name: '宫保鸡丁', quantity: 1, unit: '份' };
    const retryKey = { 'idempotency-key': 'report-during-outage' };
    expect((await t.request('POST', '/api/v1/menu-reports', { body: report })).status).toBe(201);

    await admin.query(`ALTER DATABASE "${DATABASE}" ALLOW_CONNECTIONS false`);
    await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [DATABASE],
    );
    try {
      // The first requests may meet a pooled connection as it is terminated (57P01); every later one meets the
      // refusal of a new connection (55000). Both are the database being away.
      for (let round = 0; round < 3; round++) {
        expectDatabaseAway(await t.request('GET', '/api/v1/menu-reports'));
        expectDatabaseAway(await t.request('POST', '/api/v1/menu-reports', { body: report }));
        expectDatabaseAway(
          await t.request('POST', '/api/v1/menu-reports', { body: report, headers: retryKey }),
        );
        expectDatabaseAway(await t.request('GET', '/api/v1/dingtalk-bots/1'));
        expectDatabaseAway(await t.request('GET', '/api/v1/notifications'));
        expectDatabaseAway(
          await t.request('POST', '/api/v1/dingtalk-bots/batch-send', {
            body: { store_id: 1, msg_type: 'text', content: 'hi' },
          }),
        );
        expectDatabaseAway(
          await t.request('POST', '/api/v1/dingtalk-bots', {
            body: {
              name: 'b',
              store_id: 1,
              webhook: 'https://oapi.dingtalk.com/robot/send?access_token=abc',
            },
          }),
        );
      }
      const health = await t.request('GET', '/health', { token: null });
      expect(health.status).toBe(503);
      const refused = t.logs.find('answered 503');
      expect(refused.length).toBeGreaterThan(0);
      expect(t.logs.find('Internal server error')).toEqual([]);
    } finally {
      await admin.query(`ALTER DATABASE "${DATABASE}" ALLOW_CONNECTIONS true`);
    }

    await waitFor(
      async () => (await t.request('GET', '/health', { token: null })).status === 200,
      '/health to answer 200 once connections are allowed again',
      30_000,
    );
    // The client that got 503s retries with its Idempotency-Key: one report, however many times it asks.
    const again = await t.request('POST', '/api/v1/menu-reports', { body: report, headers: retryKey });
    expect(again.status, again.text).toBe(201);
    const replay = await t.request('POST', '/api/v1/menu-reports', { body: report, headers: retryKey });
    expect(replay.body).toEqual(again.body);
    const list = await t.request('GET', '/api/v1/menu-reports');
    expect(list.body.data.total).toBe(2);
  }, 120_000);
});
