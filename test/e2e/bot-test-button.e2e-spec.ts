import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/use-test-app';
import { BotFields, givenStreamBot, givenWebhookBot } from '../support/given';
import { SimApp } from '../../simulator/core/simulator-state';

/**
 * The test button (`POST /dingtalk-bots/:id/test`) against the simulator: a real signed POST, and for each
 * failure DingTalk reports, a hint in plain words.
 */
describe('bot test button against the simulator', () => {
  const { sim, t } = useTestApp({ simulator: true, env: { DINGTALK_TIMEOUT_MS: '1000' } });

  const createWebhookBot = async (webhook: string, secret?: string, extra: BotFields = {}) =>
    (await givenWebhookBot(t, { name: '一号店厨房群', webhook, ...(secret ? { secret } : {}), ...extra })).id;
  const pressTest = async (id: number) => {
    const response = await t.request('POST', `/api/v1/dingtalk-bots/${id}/test`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.data as {
      ok: boolean;
      errcode: number | null;
      error_code: string | null;
      errmsg: string;
      hint: string | null;
      latency_ms: number;
    };
  };
  const webhookOf = (token: string) => `${sim.url}/robot/send?access_token=${token}`;

  it('a good signed bot: ok, and the simulator verified the signature and shows the message', async () => {
    const robot = sim.state.registerRobot({ secret: 'SECgood0123456789', keywords: ['报菜'] });
    const result = await pressTest(await createWebhookBot(webhookOf(robot.token), 'SECgood0123456789'));
    expect(result).toEqual({
      ok: true,
      errcode: 0,
      error_code: null,
      errmsg: 'ok',
      hint: null,
      latency_ms: expect.any(Number),
    });
    const [message] = sim.state.received({ target: robot.token });
    expect(message).toMatchObject({
      signature: 'valid',
      errcode: 0,
      msgtype: 'markdown',
      title: '报菜通知测试',
    });
    expect(message.text).toContain('一号店厨房群');
  });

  it('a text bot sends text', async () => {
    const robot = sim.state.registerRobot();
    expect(
      (await pressTest(await createWebhookBot(webhookOf(robot.token), undefined, { msg_type: 'text' }))).ok,
    ).toBe(true);
    expect(sim.state.received({ target: robot.token })[0]).toMatchObject({ msgtype: 'text', errcode: 0 });
  });

  it('a wrong secret: 310000 and a hint about the secret and the clock', async () => {
    const robot = sim.state.registerRobot({ secret: 'SECright' });
    const result = await pressTest(await createWebhookBot(webhookOf(robot.token), 'SECwrong0000'));
    expect(result).toMatchObject({
      ok: false,
      errcode: 310000,
      errmsg: expect.stringMatching(/^sign not match/),
    });
    expect(result.hint).toMatch(/secret/);
    expect(result.hint).toMatch(/clock/);
    expect(sim.state.received({ target: robot.token })[0].signature).toBe('invalid');
  });

  it('no secret on a robot that requires signing: a hint to add the secret, not to check it', async () => {
    const robot = sim.state.registerRobot({ secret: 'SECrequired0123' });
    const result = await pressTest(await createWebhookBot(webhookOf(robot.token)));
    expect(result).toMatchObject({
      ok: false,
      errcode: 310000,
      errmsg: expect.stringMatching(/^sign not match/),
    });
    expect(result.hint).toMatch(/has no secret/);
    expect(result.hint).not.toMatch(/check the bot's secret/);
    expect(sim.state.received({ target: robot.token })[0].signature).toBe('invalid');
  });

  it('a missing keyword: 310000 and a hint to add a keyword', async () => {
    const robot = sim.state.registerRobot({ keywords: ['打卡'] });
    const result = await pressTest(await createWebhookBot(webhookOf(robot.token)));
    expect(result).toMatchObject({
      ok: false,
      errcode: 310000,
      errmsg: expect.stringMatching(/^keywords not in content/),
    });
    expect(result.hint).toMatch(/keyword/);
  });

  it('an unknown token: 300005 and a hint that the robot was probably removed', async () => {
    const result = await pressTest(await createWebhookBot(webhookOf('f'.repeat(64))));
    expect(result).toMatchObject({ ok: false, errcode: 300005 });
    expect(result.hint).toMatch(/removed/);
  });

  it('a throttled robot: a hint that sending pauses', async () => {
    const robot = sim.state.registerRobot({ ratePerMinute: 1 });
    const id = await createWebhookBot(webhookOf(robot.token));
    expect((await pressTest(id)).ok).toBe(true);
    const result = await pressTest(id);
    expect(result).toMatchObject({ ok: false, errcode: 410100 });
    expect(result.hint).toMatch(/throttling/);
  });

  it('an IP whitelist refusal, a server error and a timeout each get their own explanation', async () => {
    const robot = sim.state.registerRobot();
    const id = await createWebhookBot(webhookOf(robot.token));

    sim.state.addFault({
      path: '/robot/send',
      mode: 'errcode',
      remaining: 1,
      errcode: 310000,
      errmsg: 'ip 10.1.2.3 not in whitelist',
    });
    const whitelist = await pressTest(id);
    expect(whitelist).toMatchObject({ ok: false, errcode: 310000 });
    expect(whitelist.hint).toMatch(/whitelist/);

    sim.state.addFault({ path: '/robot/send', mode: 'http_500', remaining: 1 });
    const busy = await pressTest(id);
    expect(busy).toMatchObject({ ok: false });
    // DingTalk's reason, and that a test is not tried again (the queue's hint would promise a retry).
    expect(busy.hint).toMatch(/^DingTalk is busy/);
    expect(busy.hint).toMatch(/Not retried: a test is tried once; press the test button again\.$/);
    expect(busy.hint).not.toMatch(/service retries/);

    sim.state.addFault({ path: '/robot/send', mode: 'timeout', remaining: 1 });
    const timeout = await pressTest(id);
    expect(timeout.ok).toBe(false);
    expect(timeout.errmsg).toMatch(/did not answer within 1 s/);
    expect(timeout.hint).toMatch(/Not retried/);
    expect(timeout.hint).not.toMatch(/service retries/);
    // The hint says what to check; it does not repeat the error.
    expect(timeout.hint).not.toContain(timeout.errmsg);
    expect(timeout.hint).toMatch(/DINGTALK_TIMEOUT_MS/);

    expect((await pressTest(id)).ok).toBe(true);
  });

  it('a stream bot without a target: a hint to set user_ids or open_conversation_id, and nothing is sent', async () => {
    const app = sim.state.registerApp();
    const bot = await givenStreamBot(t, app, { name: '应用机器人' });
    const result = await pressTest(bot.id);
    expect(result.ok).toBe(false);
    expect(result.hint).toMatch(/user_ids/);
  });

  describe('stream bots (app token, then the target)', () => {
    const createStreamBot = async (app: SimApp, fields: BotFields) =>
      (await givenStreamBot(t, app, { name: '应用机器人', ...fields })).id;

    it('sends a work notification to user_ids and a group message to open_conversation_id', async () => {
      const app = sim.state.registerApp();
      const group = sim.state.ensureConversation({ title: '一号店厨房', clientId: app.clientId });
      const id = await createStreamBot(app, { user_ids: ['manager1'], open_conversation_id: group.id });
      expect(await pressTest(id)).toMatchObject({ ok: true, errcode: 0, hint: null });
      expect(
        sim.state.received({ channel: 'work_notification', target: 'manager1', accepted: true }),
      ).toHaveLength(1);
      const [groupMessage] = sim.state.received({ channel: 'group', target: group.id, accepted: true });
      expect(groupMessage.title).toBe('报菜通知测试');
    });

    it('a wrong AppSecret: a hint to copy the credentials again', async () => {
      const app = sim.state.registerApp();
      const id = await createStreamBot(app, { client_secret: 'not-the-secret', user_ids: ['manager1'] });
      const result = await pressTest(id);
      expect(result.ok).toBe(false);
      expect(result.hint).toMatch(/client_secret|AppSecret/);
    });

    it('a wrong agent_id: a hint about the AgentId', async () => {
      const app = sim.state.registerApp();
      const id = await createStreamBot(app, { agent_id: '1', user_ids: ['manager1'] });
      const result = await pressTest(id);
      expect(result.ok).toBe(false);
      expect(result.hint).toMatch(/agent_id/);
    });

    it('a group the robot is not in: a hint to add it and write 绑定', async () => {
      const app = sim.state.registerApp();
      const id = await createStreamBot(app, { open_conversation_id: 'cidUnknownGroup==' });
      const result = await pressTest(id);
      expect(result.ok).toBe(false);
      expect(result.hint).toMatch(/绑定/);
    });
  });

  it('never writes a secret, a webhook token or an app token into a log line', () => {
    const text = t.logs.text();
    for (const robot of sim.state.robots.values()) {
      expect(text).not.toContain(robot.token);
      if (robot.secret) expect(text).not.toContain(robot.secret);
    }
    for (const app of sim.state.apps.values()) expect(text).not.toContain(app.clientSecret);
    for (const token of sim.state.tokens.keys()) expect(text).not.toContain(token);
  });

  it('answers 404 for another store’s bot', async () => {
    const robot = sim.state.registerRobot();
    const id = await createWebhookBot(webhookOf(robot.token));
    const other = t.token({ role: 'store_admin', store_ids: [2] });
    const response = await t.request('POST', `/api/v1/dingtalk-bots/${id}/test`, { token: other });
    expect(response.status).toBe(404);
    expect(sim.state.received({ target: robot.token })).toHaveLength(0);
  });
});
