import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/use-test-app';

const TOKEN = '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f9z8y';
const WEBHOOK = `https://oapi.dingtalk.com/robot/send?access_token=${TOKEN}`;
const SECRET = 'SEC4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3d4e5f60718293a4b5c6d7e8f90';
const CLIENT_SECRET = 'AppSecret-7Hq2-super-private-value-0001';

const webhookBot = (overrides: Record<string, unknown> = {}) => ({
  name: '测试门店通知',
  store_id: 1,
  webhook: WEBHOOK,
  secret: SECRET,
  ...overrides,
});
const streamBot = (overrides: Record<string, unknown> = {}) => ({
  name: '门店应用机器人',
  store_id: 1,
  bot_type: 'stream',
  client_id: `dingapp${Math.random().toString(36).slice(2, 10)}`,
  client_secret: CLIENT_SECRET,
  agent_id: '836390886',
  user_ids: ['manager1234'],
  ...overrides,
});

describe('bot management API', () => {
  const { t } = useTestApp();

  const create = async (body: unknown, token?: string) => {
    const response = await t.request('POST', '/api/v1/dingtalk-bots', { body, token });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body.data;
  };

  describe('the README walkthrough', () => {
    it('creates a webhook bot with defaults, masked webhook and no secret in the answer', async () => {
      const response = await t.request('POST', '/api/v1/dingtalk-bots', { body: webhookBot() });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ code: 0, msg: 'success' });
      expect(response.body.data).toEqual({
        id: expect.any(Number),
        name: '测试门店通知',
        store_id: 1,
        bot_type: 'webhook',
        msg_type: 'markdown',
        is_enabled: true,
        webhook: 'https://oapi.dingtalk.com/robot/send?access_token=1a2b****9z8y',
        has_secret: true,
        at_mobiles: [],
        at_all: false,
        app_id: null,
        client_id: null,
        agent_id: null,
        has_client_secret: false,
        user_ids: [],
        open_conversation_id: null,
        at_user_ids: [],
        card_template_id: null,
        rate_limit_per_minute: 20,
        template_id: null,
        daily_summary_at: null,
        health: 'healthy',
        health_reason: null,
        health_detail: null,
        health_hint: null,
        health_since: expect.any(String),
        created_at: expect.any(String),
        updated_at: expect.any(String),
        warnings: [],
      });
    });

    it('creates a stream bot, disables, enables, switches it to webhook, and deletes it', async () => {
      const bot = await create(streamBot({ agent_id: 836390886 }));
      expect(bot).toMatchObject({
        bot_type: 'stream',
        agent_id: '836390886',
        has_client_secret: true,
        webhook: null,
      });

      const disabled = await t.request('PUT', `/api/v1/dingtalk-bots/${bot.id}`, {
        body: { is_enabled: false },
      });
      expect(disabled.status).toBe(200);
      expect(disabled.body.data).toMatchObject({ is_enabled: false, has_client_secret: true });

      const enabled = await t.request('PUT', `/api/v1/dingtalk-bots/${bot.id}`, {
        body: { is_enabled: true },
      });
      expect(enabled.body.data.is_enabled).toBe(true);

      const switched = await t.request('PUT', `/api/v1/dingtalk-bots/${bot.id}`, {
        body: { bot_type: 'webhook', webhook: WEBHOOK, secret: SECRET },
      });
      expect(switched.status, JSON.stringify(switched.body)).toBe(200);
      expect(switched.body.data).toMatchObject({
        bot_type: 'webhook',
        has_secret: true,
        app_id: null,
        client_id: null,
        agent_id: null,
        has_client_secret: false,
        user_ids: [],
      });

      const deleted = await t.request('DELETE', `/api/v1/dingtalk-bots/${bot.id}`);
      expect(deleted.status).toBe(200);
      expect(deleted.body.data).toEqual({ id: bot.id });
      expect((await t.request('GET', `/api/v1/dingtalk-bots/${bot.id}`)).status).toBe(404);
    });

    it('switches a webhook bot to stream when the stream credentials come along', async () => {
      const bot = await create(webhookBot());
      const { client_id, client_secret, agent_id } = streamBot();
      const switched = await t.request('PUT', `/api/v1/dingtalk-bots/${bot.id}`, {
        body: { bot_type: 'stream', client_id, client_secret, agent_id },
      });
      expect(switched.status).toBe(200);
      expect(switched.body.data).toMatchObject({
        bot_type: 'stream',
        webhook: null,
        has_secret: false,
        client_id,
      });
    });
  });

  describe('validation: 400 naming the field', () => {
    const rejects = async (
      body: unknown,
      field: string,
      message?: RegExp,
      method = 'POST',
      path = '/api/v1/dingtalk-bots',
    ) => {
      const response = await t.request(method, path, { body });
      expect(response.status, JSON.stringify(response.body)).toBe(400);
      expect(response.body).toMatchObject({ code: 400, request_id: expect.any(String) });
      const fields = response.body.errors.map((e: { field: string }) => e.field);
      expect(fields).toContain(field);
      if (message)
        expect(response.body.errors.find((e: { field: string }) => e.field === field).message).toMatch(
          message,
        );
    };

    it.each([
      [webhookBot({ name: '' }), 'name'],
      [webhookBot({ name: 'x'.repeat(101) }), 'name'],
      [webhookBot({ name: null }), 'name'],
      [{ store_id: 1, webhook: WEBHOOK }, 'name', /required/],
      [webhookBot({ store_id: 0 }), 'store_id'],
      [webhookBot({ store_id: '1' }), 'store_id'],
      [webhookBot({ bot_type: 'email' }), 'bot_type'],
      [webhookBot({ msg_type: 'image' }), 'msg_type'],
      [webhookBot({ is_enabled: 'yes' }), 'is_enabled'],
      [webhookBot({ webhook: undefined }), 'webhook', /required/],
      [webhookBot({ webhook: 'https://evil.example/robot/send?access_token=a' }), 'webhook', /must point to/],
      [webhookBot({ webhook: 'https://127.0.0.1/robot/send?access_token=a' }), 'webhook', /IP address/],
      [webhookBot({ webhook: 'https://oapi.dingtalk.com/robot/send' }), 'webhook', /access_token/],
      [webhookBot({ secret: 'not-a-secret' }), 'secret', /starting with SEC/],
      [webhookBot({ at_mobiles: 'x' }), 'at_mobiles'],
      [webhookBot({ at_mobiles: ['call me'] }), 'at_mobiles'],
      [webhookBot({ client_id: 'dingabc' }), 'client_id', /applies to stream bots only/],
      [streamBot({ client_id: undefined }), 'client_id', /required/],
      [streamBot({ client_secret: undefined }), 'client_secret', /required/],
      [streamBot({ agent_id: 'abc' }), 'agent_id', /digits/],
      [streamBot({ agent_id: undefined }), 'agent_id', /required/],
      [streamBot({ user_ids: [1, 2] }), 'user_ids'],
      [streamBot({ webhook: WEBHOOK }), 'webhook', /applies to webhook bots only/],
      [webhookBot({ rate_limit_per_minute: 21 }), 'rate_limit_per_minute'],
      [webhookBot({ unknown_field: 1 }), 'unknown_field', /not a known field/],
    ])('refuses %j', (body, field, message?: RegExp) => rejects(body, field, message));

    it('validates the merged result of a PUT', async () => {
      const bot = await create(webhookBot());
      const path = `/api/v1/dingtalk-bots/${bot.id}`;
      await rejects({ webhook: null }, 'webhook', /required/, 'PUT', path);
      await rejects({ bot_type: 'stream' }, 'app_id', /required/, 'PUT', path);
      await rejects({ name: null }, 'name', undefined, 'PUT', path);
      const unchanged = await t.request('GET', path);
      expect(unchanged.body.data).toMatchObject({ bot_type: 'webhook', has_secret: true });
    });

    it('answers malformed JSON with 400, a body over 1 MiB with 413, and never a 500', async () => {
      const malformed = await t.request('POST', '/api/v1/dingtalk-bots', { rawBody: '{"name": "x",' });
      expect(malformed.status).toBe(400);
      expect(malformed.body).toMatchObject({ code: 400, msg: 'Malformed JSON in request body' });
      const huge = await t.request('POST', '/api/v1/dingtalk-bots', {
        body: webhookBot({ name: 'x'.repeat(1_100_000) }),
      });
      expect(huge.status).toBe(413);
      expect(huge.body).toMatchObject({ code: 413, msg: 'Request body is larger than 1 MiB' });
      const notObject = await t.request('POST', '/api/v1/dingtalk-bots', { rawBody: '[1,2]' });
      expect(notObject.status).toBe(400);
      const badId = await t.request('GET', '/api/v1/dingtalk-bots/abc');
      expect(badId.status).toBe(400);
    });

    it('lets stores share one DingTalk app: a second stream bot with the same client_id and secret joins it', async () => {
      const first = await create(streamBot());
      const second = await create(
        streamBot({ client_id: first.client_id, store_id: 2, agent_id: undefined }),
      );
      expect(second).toMatchObject({
        app_id: first.app_id,
        client_id: first.client_id,
        has_client_secret: true,
      });
      const third = await create(
        streamBot({
          client_id: undefined,
          client_secret: undefined,
          agent_id: undefined,
          app_id: first.app_id,
          store_id: 3,
        }),
      );
      expect(third).toMatchObject({
        app_id: first.app_id,
        client_id: first.client_id,
        agent_id: '836390886',
      });
      const apps = await t.request('GET', '/api/v1/dingtalk-apps?page_size=100');
      expect(
        apps.body.data.items.filter((app: { client_id: string }) => app.client_id === first.client_id),
      ).toHaveLength(1);
    });

    it("answers a wrong secret for a known app with a 400 on client_secret, the same whichever store's bots use it", async () => {
      const admin2 = t.token({ sub: 'admin-of-store-32', role: 'store_admin', store_ids: [32] });
      // Apps are added by an admin (a store admin's inline credentials only find one).
      const appOfStore1 = await create(streamBot({ store_id: 31 }));
      const appOfStore2 = await create(streamBot({ store_id: 32 }));
      // Store 2's admin, with the AppKey of another store's app and a wrong secret, then with that of its own store;
      // the same for a change of an existing bot's app.
      const ownBot = await create(streamBot({ store_id: 32 }));
      const wrong = 'not-the-app-secret';
      const answers = [
        await t.request('POST', '/api/v1/dingtalk-bots', {
          body: streamBot({ store_id: 32, client_id: appOfStore1.client_id, client_secret: wrong }),
          token: admin2,
        }),
        await t.request('POST', '/api/v1/dingtalk-bots', {
          body: streamBot({ store_id: 32, client_id: appOfStore2.client_id, client_secret: wrong }),
          token: admin2,
        }),
        await t.request('PUT', `/api/v1/dingtalk-bots/${ownBot.id}`, {
          body: { client_id: appOfStore1.client_id, client_secret: wrong },
          token: admin2,
        }),
        await t.request('PUT', `/api/v1/dingtalk-bots/${ownBot.id}`, {
          body: { client_id: appOfStore2.client_id, client_secret: wrong },
          token: admin2,
        }),
        // A secret restated without client_id means the bot's own app: a store admin cannot change it here.
        await t.request('PUT', `/api/v1/dingtalk-bots/${ownBot.id}`, {
          body: { client_secret: wrong },
          token: admin2,
        }),
      ];
      const seen = answers.map((answer) => {
        const headers = Object.fromEntries(
          [...answer.headers].filter(([name]) => !['x-request-id', 'date', 'content-length'].includes(name)),
        );
        return { status: answer.status, headers, body: { ...answer.body, request_id: undefined } };
      });
      expect(seen[0].status).toBe(400);
      expect(seen[0].body.errors).toEqual([
        {
          field: 'client_secret',
          message: expect.stringMatching(/^client_secret is not the secret of the app/),
        },
      ]);
      // Nothing naming a store, a bot, the app's id or its secret.
      expect(JSON.stringify(seen[0].body)).not.toMatch(/store|3[12]|门店|AppSecret|app_id [0-9]/i);
      for (const other of seen.slice(1)) expect(other).toEqual(seen[0]);
      // The app kept its secret: the bots still name it with the right one.
      const again = await create(
        streamBot({ store_id: 32, client_id: appOfStore1.client_id, agent_id: undefined }),
        admin2,
      );
      expect(again.app_id).toBe(appOfStore1.app_id);
    });

    it('names the app once: app_id or client_id and client_secret, and an app_id that exists', async () => {
      const first = await create(streamBot());
      await rejects(streamBot({ app_id: first.app_id }), 'app_id', /give one of them/);
      await rejects(
        {
          ...streamBot({ client_id: undefined, client_secret: undefined, agent_id: undefined }),
          app_id: 999999,
        },
        'app_id',
        /is not a DingTalk app/,
      );
      await rejects(
        streamBot({ client_id: undefined, client_secret: undefined, agent_id: undefined }),
        'app_id',
        /required/,
      );
      await rejects({ agent_id: '1' }, 'agent_id', /app's/, 'PUT', `/api/v1/dingtalk-bots/${first.id}`);
      await rejects(streamBot({ client_id: first.client_id, agent_id: '42' }), 'agent_id', /not the AgentId/);
    });
  });

  describe('lists', () => {
    it('filters, paginates and returns newest first', async () => {
      const store = 900;
      const made = [];
      for (let i = 0; i < 3; i++)
        made.push(await create(webhookBot({ store_id: store, name: `list ${i}`, is_enabled: i !== 1 })));
      made.push(await create(streamBot({ store_id: store })));
      const all = await t.request('GET', `/api/v1/dingtalk-bots?store_id=${store}&page_size=2`);
      expect(all.body.data).toMatchObject({ total: 4, page: 1, page_size: 2 });
      expect(all.body.data.items.map((b: { id: number }) => b.id)).toEqual([made[3].id, made[2].id]);
      const page2 = await t.request('GET', `/api/v1/dingtalk-bots?store_id=${store}&page_size=2&page=2`);
      expect(page2.body.data.items.map((b: { id: number }) => b.id)).toEqual([made[1].id, made[0].id]);
      const enabledWebhooks = await t.request(
        'GET',
        `/api/v1/dingtalk-bots?store_id=${store}&bot_type=webhook&is_enabled=true`,
      );
      expect(enabledWebhooks.body.data.total).toBe(2);
      expect((await t.request('GET', '/api/v1/dingtalk-bots?page_size=101')).status).toBe(400);
      expect((await t.request('GET', '/api/v1/dingtalk-bots?is_enabled=maybe')).status).toBe(400);
    });
  });

  describe('store scoping', () => {
    it('hides other stores’ bots (404), refuses creating in them (403), and lists only its own', async () => {
      const mine = await create(webhookBot({ store_id: 31 }));
      const theirs = await create(webhookBot({ store_id: 32 }));
      const storeAdmin = t.token({ sub: 'manager-31', role: 'store_admin', store_ids: [31] });

      expect((await t.request('GET', `/api/v1/dingtalk-bots/${mine.id}`, { token: storeAdmin })).status).toBe(
        200,
      );
      for (const [method, path, body] of [
        ['GET', `/api/v1/dingtalk-bots/${theirs.id}`, undefined],
        ['PUT', `/api/v1/dingtalk-bots/${theirs.id}`, { is_enabled: false }],
        ['DELETE', `/api/v1/dingtalk-bots/${theirs.id}`, undefined],
        ['POST', `/api/v1/dingtalk-bots/${theirs.id}/test`, undefined],
        ['GET', `/api/v1/dingtalk-bots/${theirs.id}/status`, undefined],
      ] as const) {
        const response = await t.request(method, path, { token: storeAdmin, body });
        expect(response.status, `${method} ${path}`).toBe(404);
        expect(response.body.msg).toBe(`DingTalk bot ${theirs.id} not found`);
      }
      const missing = await t.request('GET', '/api/v1/dingtalk-bots/999999', { token: storeAdmin });
      expect(missing.body.msg).toBe('DingTalk bot 999999 not found');

      const forbidden = await t.request('POST', '/api/v1/dingtalk-bots', {
        token: storeAdmin,
        body: webhookBot({ store_id: 32 }),
      });
      expect(forbidden.status).toBe(403);
      const moveAway = await t.request('PUT', `/api/v1/dingtalk-bots/${mine.id}`, {
        token: storeAdmin,
        body: { store_id: 32 },
      });
      expect(moveAway.status).toBe(403);

      const implicitStore = await t.request('POST', '/api/v1/dingtalk-bots', {
        token: storeAdmin,
        body: webhookBot({ store_id: undefined }),
      });
      expect(implicitStore.status).toBe(201);
      expect(implicitStore.body.data.store_id).toBe(31);

      const list = await t.request('GET', '/api/v1/dingtalk-bots?page_size=100', { token: storeAdmin });
      expect(list.body.data.items.every((b: { store_id: number }) => b.store_id === 31)).toBe(true);
      const otherFilter = await t.request('GET', '/api/v1/dingtalk-bots?store_id=32', { token: storeAdmin });
      expect(otherFilter.body.data).toMatchObject({ total: 0, items: [] });

      const adminWithoutStore = await t.request('POST', '/api/v1/dingtalk-bots', {
        body: webhookBot({ store_id: undefined }),
      });
      expect(adminWithoutStore.status).toBe(400);
      expect(adminWithoutStore.body.errors[0].field).toBe('store_id');
    });
  });

  describe('status', () => {
    it('reports webhook bots as not_applicable and stream bots with their connection state', async () => {
      const webhook = await create(webhookBot());
      const status = await t.request('GET', `/api/v1/dingtalk-bots/${webhook.id}/status`);
      expect(status.body.data).toMatchObject({
        bot_id: webhook.id,
        bot_type: 'webhook',
        is_enabled: true,
        connection_status: 'not_applicable',
        reconnect_count: 0,
        pending_notifications: 0,
      });
      expect(Object.keys(status.body.data).sort()).toEqual(
        [
          'bot_id',
          'bot_type',
          'is_enabled',
          'connection_status',
          'instance_id',
          'status_since',
          'connected_since',
          'last_message_time',
          'last_error',
          'reconnect_count',
          'last_delivery_at',
          'last_delivery_status',
          'pending_notifications',
          'rate_limited_until',
          'pause_hint',
          'health',
          'health_reason',
          'health_detail',
          'health_hint',
          'health_since',
        ].sort(),
      );
    });
  });

  describe('secrets', () => {
    it('never shows the secret, the client secret or the webhook token in responses or logs, and seals them at rest', async () => {
      const webhook = await create(webhookBot());
      const stream = await create(streamBot());
      const responses = [
        await t.request('GET', `/api/v1/dingtalk-bots/${webhook.id}`),
        await t.request('GET', `/api/v1/dingtalk-bots/${stream.id}`),
        await t.request('GET', '/api/v1/dingtalk-bots?page_size=100'),
        await t.request('PUT', `/api/v1/dingtalk-bots/${webhook.id}`, {
          body: { secret: SECRET, webhook: WEBHOOK },
        }),
        await t.request('POST', '/api/v1/dingtalk-bots', {
          body: webhookBot({ secret: 'bad', webhook: `${WEBHOOK}&x=1` }),
        }),
      ];
      for (const response of responses) {
        for (const secret of [SECRET, CLIENT_SECRET, TOKEN]) expect(response.text).not.toContain(secret);
      }
      for (const secret of [SECRET, CLIENT_SECRET, TOKEN]) expect(t.logs.text()).not.toContain(secret);

      const database = t.app.get(DataSourceToken);
      const rows = [
        ...(await database.query('SELECT webhook, secret FROM ding_talk_bots')),
        ...(await database.query('SELECT client_secret FROM dingtalk_apps')),
      ];
      const stored = JSON.stringify(rows);
      for (const secret of [SECRET, CLIENT_SECRET, TOKEN]) expect(stored).not.toContain(secret);
      expect(stored).toMatch(/v1:[0-9a-f]{8}:/);
    });
  });
});

import { DataSource as DataSourceToken } from 'typeorm';
