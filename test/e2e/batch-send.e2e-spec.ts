import { DataSource } from 'typeorm';
import { beforeAll, describe, expect, it } from 'vitest';
import { SimApp } from '../../simulator/core/simulator-state';
import { waitFor } from '../support/wait-for';
import { BotFields, givenBot, robotWebhook } from '../support/given';
import { useTestApp } from '../support/use-test-app';

describe('batch send', () => {
  const { sim, t } = useTestApp({ simulator: true });
  /** A fresh robot at the simulator for each bot: what each bot received is then easy to read. */
  let WEBHOOK: string;
  let app: SimApp;
  beforeAll(() => {
    app = sim.state.registerApp();
  });
  const newRobot = () => {
    const robot = sim.state.registerRobot();
    WEBHOOK = robotWebhook(sim, robot);
    return robot.token;
  };
  const delivered = (target: string) => sim.state.received({ target, accepted: true });

  const createBot = async (body: BotFields) => (await givenBot(t, { name: 'bot', ...body })).id;
  const batch = (body: Record<string, unknown>, token?: string) =>
    t.request('POST', '/api/v1/dingtalk-bots/batch-send', { body, token });
  const rows = (ids: string[]) =>
    t.app
      .get(DataSource)
      .query(
        'SELECT bot_id, kind, msg_type, title, content, at_mobiles, at_user_ids, hint FROM notifications WHERE id = ANY($1::bigint[]) ORDER BY bot_id',
        [ids],
      );

  it('queues one notification per enabled bot of a store, skipping what cannot be sent with the reason', async () => {
    const robotToken = newRobot();
    const webhook = await createBot({ store_id: 30, webhook: WEBHOOK });
    const stream = await createBot({
      store_id: 30,
      bot_type: 'stream',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      agent_id: app.agentId,
      user_ids: ['u1'],
    });
    const noTarget = await createBot({
      store_id: 30,
      bot_type: 'stream',
      client_id: 'dingBatchNoTarget',
      client_secret: 's',
      agent_id: '1',
    });
    const disabledRobot = newRobot();
    await createBot({ store_id: 30, webhook: WEBHOOK, is_enabled: false });
    const otherStoreRobot = newRobot();
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
      { bot_id: webhook, notification_ids: [expect.any(String)], status: 'pending', reason: null },
      { bot_id: stream, notification_ids: [expect.any(String)], status: 'pending', reason: null },
      {
        bot_id: noTarget,
        notification_ids: [expect.any(String)],
        status: 'skipped',
        reason: expect.stringContaining('user_ids'),
      },
    ]);
    const stored = await rows(
      response.body.data.items.flatMap((item: { notification_ids: string[] }) => item.notification_ids),
    );
    expect(stored.map((row: { bot_id: number; kind: string }) => [row.bot_id, row.kind])).toEqual([
      [webhook, 'batch'],
      [stream, 'batch'],
      [noTarget, 'batch'],
    ]);
    expect(stored[0]).toMatchObject({
      msg_type: 'markdown',
      title: '盘点提醒',
      at_mobiles: ['13800000000'],
      at_user_ids: [],
    });
    expect(stored[1]).toMatchObject({ at_mobiles: [], at_user_ids: ['u1'] });

    // Delivered by the same queue as reports: to the webhook robot and as a work notification; nowhere else.
    await waitFor(
      () => delivered(robotToken).length === 1 && delivered('u1').length === 1,
      'both deliveries',
    );
    expect(delivered(robotToken)[0]).toMatchObject({ title: '盘点提醒', signature: 'absent' });
    expect(delivered(robotToken)[0].text).toContain('@13800000000');
    expect(delivered(disabledRobot)).toEqual([]);
    expect(delivered(otherStoreRobot)).toEqual([]);
  });

  it('sends to chosen bots, and names a disabled one as skipped', async () => {
    newRobot();
    const on = await createBot({ store_id: 32, webhook: WEBHOOK });
    newRobot();
    const off = await createBot({ store_id: 32, webhook: WEBHOOK, is_enabled: false });
    const response = await batch({ bot_ids: [on, off], msg_type: 'text', content: '今晚 9 点闭店盘点' });
    expect(response.status).toBe(202);
    expect(response.body.data.items).toEqual([
      { bot_id: on, notification_ids: [expect.any(String)], status: 'pending', reason: null },
      { bot_id: off, notification_ids: [], status: 'skipped', reason: expect.stringContaining('disabled') },
    ]);
    const [row] = await rows(response.body.data.items[0].notification_ids);
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

  it('sends a message over 20,000 bytes in numbered parts, in order, each accepted by DingTalk', async () => {
    const robotToken = newRobot();
    const bot = await createBot({ store_id: 35, webhook: WEBHOOK, msg_type: 'text' });
    const lines = Array.from({ length: 1500 }, (_, index) => `第 ${index + 1} 项：宫保鸡丁 50 份，备注少辣`);
    const content = lines.join('\n');
    expect(Buffer.byteLength(content)).toBeGreaterThan(40_000);
    const response = await batch({ bot_ids: [bot], msg_type: 'text', content });
    expect(response.status).toBe(202);
    const parts = response.body.data.items[0].notification_ids.length;
    expect(parts).toBeGreaterThanOrEqual(3);

    await waitFor(() => delivered(robotToken).length === parts, `${parts} parts`, 20_000);
    const received = delivered(robotToken);
    received.forEach((message, index) =>
      expect(message.text?.startsWith(`（${index + 1}/${parts}）\n`)).toBe(true),
    );
    const rejoined = received
      .map((message) => (message.text ?? '').split('\n').slice(1).join('\n'))
      .join('\n');
    expect(rejoined).toBe(content);
    expect(sim.state.received({ target: robotToken, accepted: false })).toEqual([]);
  });

  it('keeps store admins to their stores: 403 for another store, another store’s bots look missing', async () => {
    newRobot();
    const foreign = await createBot({ store_id: 33, webhook: WEBHOOK });
    const admin34 = t.token({ role: 'store_admin', store_ids: [34] });
    expect((await batch({ store_id: 33, title: 't', content: 'x' }, admin34)).status).toBe(403);
    const byId = await batch({ bot_ids: [foreign], title: 't', content: 'x' }, admin34);
    expect(byId.status).toBe(400);
    expect(byId.body.errors[0].message).toContain(String(foreign));
  });
});
