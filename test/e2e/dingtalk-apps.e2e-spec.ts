import { describe, expect, it } from 'vitest';
import { givenBot, givenDingTalkApp } from '../support/given';
import { useTestApp } from '../support/use-test-app';

/**
 * DingTalk apps as a resource (docs/dingtalk-apps.md): an admin adds the chain's app once, store admins choose it
 * for their stores' bots and never see or change its secret, and its new secret is one update for every bot.
 */
describe('DingTalk apps API', () => {
  const { t, sim } = useTestApp({ simulator: true });
  const storeAdmin = () => t.token({ sub: 'manager-1', role: 'store_admin', store_ids: [1] });

  async function addApp(fields: Record<string, unknown> = {}) {
    const dingApp = sim.state.registerApp();
    return { dingApp, app: await givenDingTalkApp(t, dingApp, fields) };
  }

  it('an admin adds an app; everyone may list it, nobody sees its secret', async () => {
    const { dingApp, app } = await addApp();
    expect(app).toEqual({
      id: expect.any(Number),
      name: '连锁报菜应用',
      client_id: dingApp.clientId,
      agent_id: dingApp.agentId,
      has_client_secret: true,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const seen = [
      await t.request('GET', `/api/v1/dingtalk-apps/${app.id}`, { token: storeAdmin() }),
      await t.request('GET', '/api/v1/dingtalk-apps?page_size=100', { token: storeAdmin() }),
    ];
    expect(seen.map((response) => response.status)).toEqual([200, 200]);
    expect(seen[1].body.data.items).toContainEqual(app);
    for (const response of seen) expect(response.text).not.toContain(dingApp.clientSecret);
    expect(t.logs.text()).not.toContain(dingApp.clientSecret);

    const twice = await t.request('POST', '/api/v1/dingtalk-apps', {
      body: { name: 'x', client_id: dingApp.clientId, client_secret: 'other', agent_id: '1' },
    });
    expect(twice.status).toBe(409);
    expect(twice.body.msg).toBe(
      `App ${app.id} has this client_id already: change that one (PUT /api/v1/dingtalk-apps/${app.id})`,
    );
    expect((await t.request('GET', '/api/v1/dingtalk-apps/999999')).status).toBe(404);
  });

  it('only an admin adds, changes or deletes an app', async () => {
    const { app } = await addApp();
    const token = storeAdmin();
    const answers = [
      await t.request('POST', '/api/v1/dingtalk-apps', {
        token,
        body: { name: 'mine', client_id: 'dingmine', client_secret: 's', agent_id: '1' },
      }),
      await t.request('PUT', `/api/v1/dingtalk-apps/${app.id}`, { token, body: { client_secret: 'guess' } }),
      await t.request('DELETE', `/api/v1/dingtalk-apps/${app.id}`, { token }),
    ];
    expect(answers.map((answer) => [answer.status, answer.body.msg])).toEqual([
      [403, 'Only an admin may do this'],
      [403, 'Only an admin may do this'],
      [403, 'Only an admin may do this'],
    ]);
  });

  it('checks what an app is given: the field named, and client_id never changes', async () => {
    const missing = await t.request('POST', '/api/v1/dingtalk-apps', {
      body: { name: 'x', client_id: 'dingx', agent_id: '1' },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((error: { field: string }) => error.field)).toEqual(['client_secret']);
    const badKey = await t.request('POST', '/api/v1/dingtalk-apps', {
      body: { name: 'x', client_id: 'ding x', client_secret: 's', agent_id: 'one' },
    });
    expect(badKey.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      'agent_id',
      'client_id',
    ]);
    const { app } = await addApp();
    const rename = await t.request('PUT', `/api/v1/dingtalk-apps/${app.id}`, {
      body: { client_id: 'dingnew' },
    });
    expect(rename.status).toBe(400);
    expect(rename.body.errors).toEqual([{ field: 'client_id', message: 'client_id is not a known field' }]);
  });

  it("lets a store admin choose the app for its store's bot, and find it by its credentials as before", async () => {
    const { dingApp, app } = await addApp();
    const token = storeAdmin();
    const chosen = await t.request('POST', '/api/v1/dingtalk-bots', {
      token,
      body: { name: '一号店', store_id: 1, bot_type: 'stream', app_id: app.id, user_ids: ['m1'] },
    });
    expect(chosen.status, chosen.text).toBe(201);
    expect(chosen.body.data).toMatchObject({
      app_id: app.id,
      client_id: dingApp.clientId,
      agent_id: dingApp.agentId,
    });
    const inline = await t.request('POST', '/api/v1/dingtalk-bots', {
      token,
      body: {
        name: '一号店 2',
        store_id: 1,
        bot_type: 'stream',
        client_id: dingApp.clientId,
        client_secret: dingApp.clientSecret,
        user_ids: ['m2'],
      },
    });
    expect(inline.status, inline.text).toBe(201);
    expect(inline.body.data.app_id).toBe(app.id);

    // A client_id the service does not know yet: an admin's bot brings its app along (named after its AppKey).
    const newApp = sim.state.registerApp();
    const added = await t.request('POST', '/api/v1/dingtalk-bots', {
      body: {
        store_id: 1,
        name: '一号店 3',
        bot_type: 'stream',
        client_id: newApp.clientId,
        client_secret: newApp.clientSecret,
        agent_id: newApp.agentId,
      },
    });
    expect(added.status, added.text).toBe(201);
    const listed = await t.request('GET', `/api/v1/dingtalk-apps/${added.body.data.app_id}`);
    expect(listed.body.data).toMatchObject({ name: newApp.clientId, client_id: newApp.clientId });
  });

  it('gives every bot of the app its new secret in one update, and deletes an app only once no bot uses it', async () => {
    // The admin typed the secret wrong: every store's bot fails alike, and DingTalk's answer says why.
    const { dingApp, app } = await addApp({ client_secret: 'typed-wrong' });
    const group = (title: string) => sim.state.ensureConversation({ title, clientId: dingApp.clientId }).id;
    const bots = [
      await givenBot(t, {
        store_id: 1,
        bot_type: 'stream',
        app_id: app.id,
        open_conversation_id: group('一号店'),
      }),
      await givenBot(t, {
        store_id: 2,
        bot_type: 'stream',
        app_id: app.id,
        open_conversation_id: group('二号店'),
      }),
    ];
    const test = async (id: number) =>
      (await t.request('POST', `/api/v1/dingtalk-bots/${id}/test`)).body.data;
    for (const bot of bots)
      expect(await test(bot.id)).toMatchObject({ ok: false, hint: expect.stringMatching(/client_secret/) });

    const rotated = await t.request('PUT', `/api/v1/dingtalk-apps/${app.id}`, {
      body: { client_secret: dingApp.clientSecret },
    });
    expect(rotated.status).toBe(200);
    expect(rotated.text).not.toContain(dingApp.clientSecret);
    for (const bot of bots) expect(await test(bot.id)).toMatchObject({ ok: true });
    for (const bot of bots) {
      const after = (await t.request('GET', `/api/v1/dingtalk-bots/${bot.id}`)).body.data;
      expect(Date.parse(after.updated_at)).toBeGreaterThan(Date.parse(bot.updated_at));
    }

    const inUse = await t.request('DELETE', `/api/v1/dingtalk-apps/${app.id}`);
    expect(inUse.status).toBe(409);
    for (const bot of bots) await t.request('DELETE', `/api/v1/dingtalk-bots/${bot.id}`);
    const deleted = await t.request('DELETE', `/api/v1/dingtalk-apps/${app.id}`);
    expect(deleted.status).toBe(200);
    expect((await t.request('GET', `/api/v1/dingtalk-apps/${app.id}`)).status).toBe(404);
  });
});

/** Apps are added by admins (the review): a store admin's inline credentials only find one. */
describe('inline app credentials on a stream bot', () => {
  const { t, sim } = useTestApp({ simulator: true });
  const storeAdmin = () => t.token({ sub: 'manager-1', role: 'store_admin', store_ids: [1] });
  const inlineBot = (dingApp: { clientId: string; clientSecret: string; agentId: string }, token?: string) =>
    t.request('POST', '/api/v1/dingtalk-bots', {
      ...(token ? { token } : {}),
      body: {
        name: '一号店',
        store_id: 1,
        bot_type: 'stream',
        client_id: dingApp.clientId,
        client_secret: dingApp.clientSecret,
        agent_id: dingApp.agentId,
      },
    });
  const appCount = async () =>
    (await t.request('GET', '/api/v1/dingtalk-apps?page_size=100')).body.data.items.length as number;

  it("refuses a store admin's new app, and lets them find an existing one with its secret", async () => {
    const dingApp = sim.state.registerApp();
    const before = await appCount();
    const refused = await inlineBot(dingApp, storeAdmin());
    expect(refused.status, refused.text).toBe(403);
    expect(refused.body.msg).toContain('an admin must add the app first (POST /api/v1/dingtalk-apps)');
    expect(await appCount()).toBe(before);

    const added = await t.request('POST', '/api/v1/dingtalk-apps', {
      body: {
        name: '连锁',
        client_id: dingApp.clientId,
        client_secret: dingApp.clientSecret,
        agent_id: dingApp.agentId,
      },
    });
    expect(added.status, added.text).toBe(201);
    const found = await inlineBot(dingApp, storeAdmin());
    expect(found.status, found.text).toBe(201);
    expect(found.body.data.app_id).toBe(added.body.data.id);
  });

  it("names an admin's inline app after the first 100 characters of a long client_id", async () => {
    const dingApp = sim.state.registerApp({
      clientId: `ding${'a'.repeat(124)}`,
      clientSecret: 's',
      agentId: '42',
    });
    const created = await inlineBot(dingApp);
    expect(created.status, created.text).toBe(201);
    const app = await t.request('GET', `/api/v1/dingtalk-apps/${created.body.data.app_id}`);
    expect(app.body.data).toMatchObject({
      client_id: dingApp.clientId,
      name: dingApp.clientId.slice(0, 100),
    });
  });
});
