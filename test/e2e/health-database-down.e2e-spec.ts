import { DataSource } from 'typeorm';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../support/use-test-app';
import { givenWebhookBot } from '../support/given';
import { expectDatabaseAway } from '../support/database-away';

/**
 * The application's connection to the database is gone for good (its DataSource destroyed): on the embedded
 * database as on a server, every route that needs it answers 503 in the envelope, and /health says so.
 * database-outage.e2e-spec.ts stops and restarts a real server under traffic.
 */
describe('every route when the database is gone', () => {
  const { t } = useTestApp();
  let botId: number;
  beforeAll(async () => {
    botId = (
      await givenWebhookBot(t, {
        name: 'b',
        webhook: 'https://oapi.dingtalk.com/robot/send?access_token=abc',
      })
    ).id;
    await t.app.get(DataSource).destroy();
  });

  it('/health answers 503 with db down and Retry-After', async () => {
    const response = await t.request('GET', '/health', { token: null });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/);
    expect(response.body).toMatchObject({ status: 'error', db: 'down' });
  });

  it.each([
    ['GET', '/api/v1/dingtalk-bots', undefined],
    ['GET', '/api/v1/dingtalk-bots/:bot', undefined],
    ['PUT', '/api/v1/dingtalk-bots/:bot', { name: 'c' }],
    ['GET', '/api/v1/dingtalk-bots/:bot/status', undefined],
    ['POST', '/api/v1/menu-reports', { store_id: 1, dish_name: 'x', quantity: 1, unit: '份' }],
    ['GET', '/api/v1/menu-reports', undefined],
    ['GET', '/api/v1/notifications', undefined],
    ['GET', '/api/v1/message-templates', undefined],
    ['POST', '/api/v1/dingtalk-bots/batch-send', { store_id: 1, msg_type: 'text', content: 'hi' }],
  ])('%s %s answers 503 with Retry-After in the envelope', async (method, path, body) => {
    expectDatabaseAway(await t.request(method, path.replace(':bot', String(botId)), { body }));
  });
});
