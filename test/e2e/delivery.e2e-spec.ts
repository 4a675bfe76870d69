import { DataSource } from 'typeorm';
import { beforeAll, describe, expect, it } from 'vitest';
import { waitFor, waitForValue } from '../support/wait-for';
import { useTestApp } from '../support/use-test-app';
import { BotFields, givenBot, givenMenuReport, robotWebhook, signedRobotFields } from '../support/given';

/** Delivery through the simulator's custom robot webhook, with the system clock and short retries. */
describe('notification delivery to webhook and stream bots', () => {
  const { sim, t } = useTestApp({
    simulator: true,
    env: { DELIVERY_RETRY_SCHEDULE: '50ms,50ms', DINGTALK_TIMEOUT_MS: '2000' },
  });
  let db: DataSource;

  beforeAll(() => {
    db = t.app.get(DataSource);
  });

  const createBot = (body: BotFields) => givenBot(t, { name: 'bot', ...body });
  const report = (storeId: number, dish = '宫保鸡丁') =>
    givenMenuReport(t, { store_id: storeId, dish_name: dish, quantity: 50 });
  const notification = async (id: number) =>
    (
      await db.query(
        'SELECT status, attempts, hint, last_error, sent_at, next_attempt_at FROM notifications WHERE id = $1',
        [id],
      )
    )[0];
  const attempts = (id: number) =>
    db.query(
      'SELECT outcome, http_status, errcode, errmsg FROM notification_attempts WHERE notification_id = $1 ORDER BY id',
      [id],
    );
  const settled = (id: number, status: string) =>
    waitForValue(async () => {
      const row = await notification(id);
      return row.status === status ? row : undefined;
    }, `notification ${id} to become ${status}`);

  it('posts a signed message to the store’s enabled bot, and nothing to disabled bots or other stores', async () => {
    const robot = sim.state.registerRobot({ secret: 'SECdelivery0001' });
    const disabledRobot = sim.state.registerRobot();
    const otherStoreRobot = sim.state.registerRobot();
    const webhook = (token: string) => `${sim.url}/robot/send?access_token=${token}`;
    const bot = await createBot({
      store_id: 21,
      webhook: webhook(robot.token),
      secret: robot.secret,
      at_mobiles: ['13800000000'],
    });
    await createBot({ store_id: 21, webhook: webhook(disabledRobot.token), is_enabled: false });
    await createBot({ store_id: 22, webhook: webhook(otherStoreRobot.token) });

    const created = await report(21);
    expect(created.notifications).toHaveLength(1);
    const row = await settled(created.notifications[0].id, 'sent');
    expect(row).toMatchObject({ attempts: 1, hint: null });

    const [message] = sim.state.received({ target: robot.token });
    expect(message).toMatchObject({ signature: 'valid', errcode: 0, msgtype: 'markdown' });
    expect(message.title).toBe('报菜通知：宫保鸡丁 50 份');
    expect(message.text).toContain(`#${created.id}`);
    expect(message.text).toContain('@13800000000');
    expect(message.body).toMatchObject({ at: { atMobiles: ['13800000000'], isAtAll: false } });
    expect(sim.state.received({ target: disabledRobot.token })).toEqual([]);
    expect(sim.state.received({ target: otherStoreRobot.token })).toEqual([]);
    expect(await attempts(created.notifications[0].id)).toEqual([
      { outcome: 'ok', http_status: 200, errcode: '0', errmsg: 'ok' },
    ]);

    const status = await t.request('GET', `/api/v1/dingtalk-bots/${bot.id}/status`);
    expect(status.body.data).toMatchObject({
      last_delivery_status: 'sent',
      last_delivery_at: expect.any(String),
      pending_notifications: 0,
      rate_limited_until: null,
    });
  });

  it('retries a transient error (HTTP 500, then errcode -1) and records every attempt', async () => {
    const robot = sim.state.registerRobot();
    await createBot({
      store_id: 23,
      webhook: robotWebhook(sim, robot),
      msg_type: 'text',
    });
    sim.state.addFault({ path: '/robot/send', mode: 'http_500', remaining: 1 });
    sim.state.addFault({
      path: '/robot/send',
      mode: 'errcode',
      errcode: -1,
      errmsg: '系统繁忙',
      remaining: 1,
    });

    const created = await report(23);
    const row = await settled(created.notifications[0].id, 'sent');
    expect(row.attempts).toBe(3);
    expect(await attempts(created.notifications[0].id)).toEqual([
      expect.objectContaining({ outcome: 'transient', http_status: 500, errcode: null }),
      expect.objectContaining({ outcome: 'transient', http_status: 200, errcode: '-1', errmsg: '系统繁忙' }),
      expect.objectContaining({ outcome: 'ok', http_status: 200, errcode: '0' }),
    ]);
    expect(sim.state.received({ target: robot.token, accepted: true })).toHaveLength(1);
  });

  it('fails when the retries run out, with a hint', async () => {
    const robot = sim.state.registerRobot();
    await createBot({ store_id: 24, webhook: robotWebhook(sim, robot) });
    sim.state.addFault({ path: '/robot/send', mode: 'http_500', remaining: 3 });
    const created = await report(24);
    const row = await settled(created.notifications[0].id, 'failed');
    expect(row.attempts).toBe(3);
    expect(row.hint).toMatch(/^Gave up after 3 attempts/);
    expect(await attempts(created.notifications[0].id)).toHaveLength(3);
  });

  it('fails a permanent error at once with a hint (keyword missing), and a wrong secret likewise', async () => {
    const keywordRobot = sim.state.registerRobot({ keywords: ['紧急'] });
    const signedRobot = sim.state.registerRobot({ secret: 'SECright0123456789abcdef' });
    await createBot({ store_id: 25, webhook: robotWebhook(sim, keywordRobot) });
    await createBot({
      store_id: 25,
      webhook: robotWebhook(sim, signedRobot),
      secret: 'SECwrong0123456789abcdef',
    });
    const created = await report(25);
    const [keyword, signature] = await Promise.all(created.notifications.map((n) => settled(n.id, 'failed')));
    expect(keyword).toMatchObject({ attempts: 1, hint: expect.stringMatching(/keyword/) });
    expect(keyword.last_error).toMatch(/^errcode 310000: keywords not in content/);
    expect(signature).toMatchObject({ attempts: 1, hint: expect.stringMatching(/signature/) });
  });

  it('pauses a throttled bot for 10 minutes without spending an attempt, and other bots go on', async () => {
    const throttled = sim.state.registerRobot();
    const other = sim.state.registerRobot();
    const bot = await createBot({
      store_id: 26,
      webhook: robotWebhook(sim, throttled),
    });
    const otherBot = await createBot({
      store_id: 26,
      webhook: robotWebhook(sim, other),
    });
    sim.state.addFault({
      path: `/robot/send?access_token=${throttled.token}`.split('?')[0],
      mode: 'errcode',
      errcode: 410100,
      errmsg: 'send too fast',
      remaining: 1,
    });
    const created = await report(26);
    const [first, second] = created.notifications;
    // Which of the two bots met the fault depends on who sent first; the throttled one stays pending.
    await waitFor(
      async () => (await attempts(first.id)).length + (await attempts(second.id)).length >= 2,
      'two attempts',
    );
    const rows = await Promise.all([first, second].map(async (n) => ({ n, row: await notification(n.id) })));
    const paused = rows.find((r) => r.row.status === 'pending')!;
    const sent = rows.find((r) => r.row.status === 'sent')!;
    expect(paused).toBeDefined();
    expect(sent).toBeDefined();
    expect(paused.row.attempts).toBe(0);
    expect(paused.row.hint).toMatch(/throttling/);
    expect(await attempts(paused.n.id)).toEqual([
      expect.objectContaining({ outcome: 'throttled', errcode: '410100' }),
    ]);
    const status = await t.request('GET', `/api/v1/dingtalk-bots/${paused.n.bot_id}/status`);
    expect(status.body.data.last_delivery_status).toBe('throttled');
    const pausedFor = Date.parse(status.body.data.rate_limited_until) - Date.now();
    expect(pausedFor).toBeGreaterThan(9 * 60_000);
    expect(pausedFor).toBeLessThanOrEqual(10 * 60_000);
    expect(status.body.data.pending_notifications).toBe(1);
    // The fault matches any robot's path: the bot whose send arrived first is the paused one.
    expect([bot.id, otherBot.id]).toContain(paused.n.bot_id);
    expect(sent.n.bot_id).not.toBe(paused.n.bot_id);
  });

  it('delivers a report to a webhook bot and a stream bot of one store: work notification and group message', async () => {
    const robot = sim.state.registerRobot({ secret: 'SECboth0123456789' });
    const app = sim.state.registerApp();
    const group = sim.state.ensureConversation({ title: '二号店后厨群', clientId: app.clientId });
    await createBot({
      store_id: 27,
      ...signedRobotFields(sim, robot),
    });
    const stream = await createBot({
      store_id: 27,
      bot_type: 'stream',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      agent_id: app.agentId,
      user_ids: ['manager27', 'chef27'],
      open_conversation_id: group.id,
      at_user_ids: ['chef27'],
    });
    // The first work notification meets a refused token: the service drops it, fetches another, sends once more.
    sim.state.addFault({
      path: '/topapi/message/corpconversation/asyncsend_v2',
      mode: 'errcode',
      errcode: 42001,
      errmsg: 'access_token超时',
      remaining: 1,
    });

    const created = await report(27, '回锅肉');
    const rows = await Promise.all(created.notifications.map((n) => settled(n.id, 'sent')));
    expect(rows.map((row) => row.attempts)).toEqual([1, 1]);
    expect(sim.state.faults).toEqual([]); // the refused token was met, and overcome within the one attempt

    expect(sim.state.received({ target: robot.token, accepted: true })).toEqual([
      expect.objectContaining({ signature: 'valid', title: '报菜通知：回锅肉 50 份' }),
    ]);
    for (const user of ['manager27', 'chef27']) {
      const [work] = sim.state.received({ channel: 'work_notification', target: user, accepted: true });
      expect(work).toMatchObject({
        clientId: app.clientId,
        msgtype: 'markdown',
        title: '报菜通知：回锅肉 50 份',
      });
      expect(work.text).toContain(`#${created.id}`);
    }
    const [groupMessage] = sim.state.received({ channel: 'group', target: group.id, accepted: true });
    expect(groupMessage.text).toContain(`#${created.id}`);
    expect(groupMessage.text).toContain('@chef27');

    const streamNotification = created.notifications.find((n) => n.bot_id === stream.id)!;
    expect(await attempts(streamNotification.id)).toEqual([
      expect.objectContaining({ outcome: 'ok', errcode: '0' }),
    ]);
  });

  it('retries a stream bot only where the message did not arrive: the group that failed, not the users who got it', async () => {
    const app = sim.state.registerApp();
    const group = sim.state.ensureConversation({ title: '三号店后厨群', clientId: app.clientId });
    await createBot({
      store_id: 28,
      bot_type: 'stream',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      agent_id: app.agentId,
      user_ids: ['manager28', 'chef28'],
      open_conversation_id: group.id,
    });
    sim.state.addFault({ path: '/v1.0/robot/groupMessages/send', mode: 'http_500', remaining: 1 });

    const created = await report(28, '水煮鱼');
    const id = created.notifications[0].id;
    expect(await settled(id, 'sent')).toMatchObject({ attempts: 2 });
    expect(await attempts(id)).toEqual([
      expect.objectContaining({ outcome: 'transient', http_status: 500 }),
      expect.objectContaining({ outcome: 'ok' }),
    ]);
    expect(sim.state.faults).toEqual([]);
    for (const user of ['manager28', 'chef28']) {
      expect(sim.state.received({ channel: 'work_notification', target: user, accepted: true })).toHaveLength(
        1,
      );
    }
    const groupMessages = sim.state.received({ channel: 'group', target: group.id, accepted: true });
    expect(groupMessages).toHaveLength(1);
    expect(groupMessages[0].text).toContain(`#${created.id}`);
  });
});
