import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TestApp } from '../support/test-app';

const WEBHOOK = 'https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef0123456789abcdef';

describe('batch send (SPEC §5)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const createBot = async (body: Record<string, unknown>) => {
    const response = await t.request('POST', '/api/v1/dingtalk-bots', { body: { name: 'bot', ...body } });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body.data.id as number;
  };
  const batch = (body: Record<string, unknown>, token?: string) =>
    t.request('POST', '/api/v1/dingtalk-bots/batch-send', { body, token });
  const rows = (ids: string[]) =>
    t.app
      .get(DataSource)
      .query(
        'SELECT bot_id, kind, status, msg_type, title, content, at_mobiles, at_user_ids, hint FROM notifications WHERE id = ANY($1::bigint[]) ORDER BY bot_id',
        [ids],
      );

  it('queues one notification per enabled bot of a store, skipping what cannot be sent with the reason', async () => {
    const webhook = await createBot({ store_id: 30, webhook: WEBHOOK });
    const stream = await createBot({
      store_id: 30,
      bot_type: 'stream',
      client_id: 'dingBatch30',
      client_secret: 's',
      agent_id: '1',
      user_ids: ['u1'],
    });
    const noTarget = await createBot({
      store_id: 30,
      bot_type: 'stream',
      client_id: 'dingBatch30b',
      client_secret: 's',
      agent_id: '1',
    });
    await createBot({ store_id: 30, webhook: WEBHOOK, is_enabled: false });
    await createBot({ store_id: 31, webhook: WEBHOOK });

    const response = await batch({
      store_id: 30,
      title: '盘点提醒',
      content: '#### 盘点提醒\n请 21:00 前完成盘点。',
      at_mobiles: ['13800000000'],
      at_user_ids: ['u1'],
    });
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    expect(response.body.data.queued).toBe(2);
    expect(response.body.data.items).toEqual([
      { bot_id: webhook, notification_id: expect.any(String), status: 'pending', reason: null },
      { bot_id: stream, notification_id: expect.any(String), status: 'pending', reason: null },
      {
        bot_id: noTarget,
        notification_id: expect.any(String),
        status: 'skipped',
        reason: expect.stringContaining('user_ids'),
      },
    ]);
    const stored = await rows(
      response.body.data.items.map((item: { notification_id: string }) => item.notification_id),
    );
    expect(
      stored.map((row: { bot_id: number; kind: string; status: string }) => [
        row.bot_id,
        row.kind,
        row.status,
      ]),
    ).toEqual([
      [webhook, 'batch', 'pending'],
      [stream, 'batch', 'pending'],
      [noTarget, 'batch', 'skipped'],
    ]);
    expect(stored[0]).toMatchObject({
      msg_type: 'markdown',
      title: '盘点提醒',
      at_mobiles: ['13800000000'],
      at_user_ids: [],
    });
    expect(stored[1]).toMatchObject({ at_mobiles: [], at_user_ids: ['u1'] });
  });

  it('sends to chosen bots, and names a disabled one as skipped', async () => {
    const on = await createBot({ store_id: 32, webhook: WEBHOOK });
    const off = await createBot({ store_id: 32, webhook: WEBHOOK, is_enabled: false });
    const response = await batch({ bot_ids: [on, off], msg_type: 'text', content: '今晚 9 点闭店盘点' });
    expect(response.status).toBe(202);
    expect(response.body.data.items).toEqual([
      { bot_id: on, notification_id: expect.any(String), status: 'pending', reason: null },
      { bot_id: off, notification_id: null, status: 'skipped', reason: expect.stringContaining('disabled') },
    ]);
    const [row] = await rows([response.body.data.items[0].notification_id]);
    expect(row).toMatchObject({ msg_type: 'text', title: '今晚 9 点闭店盘点' });
  });

  it.each([
    [{ content: 'x', title: 't' }, 'bot_ids', /required/],
    [{ bot_ids: [1], store_id: 1, content: 'x', title: 't' }, 'bot_ids', /not both/],
    [{ store_id: 30, content: 'x' }, 'title', /markdown/],
    [{ store_id: 30, title: 't' }, 'content', undefined],
    [{ bot_ids: [], content: 'x', title: 't' }, 'bot_ids', undefined],
    [{ bot_ids: [999999], content: 'x', title: 't' }, 'bot_ids', /no such bot: 999999/],
    [{ store_id: 30, msg_type: 'image', content: 'x' }, 'msg_type', undefined],
  ])('refuses %j naming %s', async (body, field, message?: RegExp) => {
    const response = await batch(body);
    expect(response.status).toBe(400);
    const error = response.body.errors.find((candidate: { field: string }) => candidate.field === field);
    expect(error, JSON.stringify(response.body.errors)).toBeDefined();
    if (message) expect(error.message).toMatch(message);
  });

  it('keeps store admins to their stores: 403 for another store, another store’s bots look missing', async () => {
    const foreign = await createBot({ store_id: 33, webhook: WEBHOOK });
    const admin34 = t.token({ role: 'store_admin', store_ids: [34] });
    expect((await batch({ store_id: 33, title: 't', content: 'x' }, admin34)).status).toBe(403);
    const byId = await batch({ bot_ids: [foreign], title: 't', content: 'x' }, admin34);
    expect(byId.status).toBe(400);
    expect(byId.body.errors[0].message).toContain(String(foreign));
  });
});
