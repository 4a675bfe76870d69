import { describe, expect, it } from 'vitest';
import { signedWebhookUrl } from '../../src/dingtalk/webhook-signing';
import { ManualClock } from '../support/clocks';
import { useSimulator } from '../support/use-test-app';
import { postToDingTalk } from '../support/raw-http';

const post = postToDingTalk;

const text = (content: string) => ({ msgtype: 'text', text: { content } });

describe('simulator: custom group robot webhook', () => {
  const clock = new ManualClock();
  const sim = useSimulator({ clock });
  const webhook = (token: string) => `${sim.url}/robot/send?access_token=${token}`;

  it('accepts a message signed as DingTalk documents and refuses a wrong signature with 310000', async () => {
    const robot = sim.state.registerRobot({ secret: 'SEC1234567890abcdef' });
    const good = signedWebhookUrl(webhook(robot.token), robot.secret, clock.now());
    expect(await post(good, text('早上好'))).toEqual({ errcode: 0, errmsg: 'ok' });

    const wrong = signedWebhookUrl(webhook(robot.token), 'SECwrong', clock.now());
    const refused = await post(wrong, text('早上好'));
    expect(refused.errcode).toBe(310000);
    expect(refused.errmsg).toMatch(/^sign not match/);

    const unsigned = await post(webhook(robot.token), text('早上好'));
    expect(unsigned.errcode).toBe(310000);

    const [accepted] = sim.state.received({ target: robot.token, accepted: true });
    expect(accepted).toMatchObject({ channel: 'robot', msgtype: 'text', text: '早上好', signature: 'valid' });
  });

  it('refuses a timestamp more than an hour away', async () => {
    const robot = sim.state.registerRobot({ secret: 'SECclock' });
    const stale = signedWebhookUrl(webhook(robot.token), robot.secret, clock.now() - 60 * 60 * 1000 - 1);
    expect(await post(stale, text('hi'))).toMatchObject({
      errcode: 310000,
      errmsg: expect.stringMatching(/^invalid timestamp/),
    });
    const edge = signedWebhookUrl(webhook(robot.token), robot.secret, clock.now() - 60 * 60 * 1000);
    expect((await post(edge, text('hi'))).errcode).toBe(0);
  });

  it('checks keywords in text and markdown', async () => {
    const robot = sim.state.registerRobot({ keywords: ['报菜'] });
    expect((await post(webhook(robot.token), text('hello'))).errmsg).toMatch(/^keywords not in content/);
    expect((await post(webhook(robot.token), text('今日报菜'))).errcode).toBe(0);
    const markdown = { msgtype: 'markdown', markdown: { title: '报菜', text: '#### 宫保鸡丁' } };
    expect((await post(webhook(robot.token), markdown)).errcode).toBe(0);
  });

  it('answers an unknown token with 300005, a body over 20,000 bytes with 460101 and a bad content type with 43004', async () => {
    expect(await post(webhook('nope'), text('x'))).toEqual({ errcode: 300005, errmsg: 'token is not exist' });
    const robot = sim.state.registerRobot();
    expect((await post(webhook(robot.token), text('好'.repeat(6_700)))).errcode).toBe(460101);
    expect((await post(webhook(robot.token), text('好'.repeat(6_600)))).errcode).toBe(0);
    expect((await post(webhook(robot.token), JSON.stringify(text('x')), 'text/plain')).errcode).toBe(43004);
    expect((await post(webhook(robot.token), { msgtype: 'text', text: {} })).errcode).toBe(400202);
  });

  it('holds every msgtype to its required fields and their casing, as DingTalk does (simulator/README.md)', async () => {
    const robot = sim.state.registerRobot();
    const card = { title: '今日报菜', text: '#### 午餐' };
    const cases: Array<[body: object, errcode: number]> = [
      [{ msgtype: 'markdown', markdown: { text: '#### 午餐' } }, 400402],
      [{ msgtype: 'link', link: { ...card, messageURL: 'https://e.com/r/1' } }, 40035],
      [{ msgtype: 'actionCard', actionCard: card }, 40035],
      [
        { msgtype: 'feedCard', feedCard: { links: [{ title: '午餐', messageUrl: 'https://e.com/1' }] } },
        40035,
      ],
      [{ msgtype: 'image', image: { picURL: 'https://e.com/p.png' } }, 400105],
      [{ msgtype: 'link', link: { ...card, messageUrl: 'https://e.com/r/1' } }, 0],
      [
        {
          msgtype: 'actionCard',
          actionCard: { ...card, singleTitle: '收到', singleURL: 'https://e.com/ok' },
        },
        0,
      ],
    ];
    for (const [body, errcode] of cases) {
      expect(await post(webhook(robot.token), body), JSON.stringify(body)).toMatchObject({ errcode });
    }
    const refused = sim.state.received({ target: robot.token, accepted: false });
    expect(refused.map((message) => message.errcode)).toEqual([400402, 40035, 40035, 40035, 400105]);
    expect(refused[1].errmsg).toContain('参数 link --》 messageUrl 缺失');
  });

  it('throttles a robot for 10 minutes after 20 messages in a minute', async () => {
    const robot = sim.state.registerRobot();
    for (let i = 0; i < 20; i++) expect((await post(webhook(robot.token), text(`m${i}`))).errcode).toBe(0);
    expect((await post(webhook(robot.token), text('21st'))).errcode).toBe(410100);
    await clock.advance(9 * 60 * 1000);
    expect((await post(webhook(robot.token), text('still throttled'))).errcode).toBe(410100);
    await clock.advance(60 * 1000 + 1);
    expect((await post(webhook(robot.token), text('free again'))).errcode).toBe(0);
  });

  it.each([410100, 130101, 660026] as const)(
    'answers a robot whose throttle code is %d with that code, for the 10 minutes of its ban',
    async (code) => {
      const robot = sim.state.registerRobot({ ratePerMinute: 2, throttleErrcode: code });
      for (let i = 0; i < 2; i++) expect((await post(webhook(robot.token), text(`m${i}`))).errcode).toBe(0);
      const refused = await post(webhook(robot.token), text('third'));
      expect(refused.errcode).toBe(code);
      expect(refused.errmsg).toMatch(/too (fast|many messages)/);
      await clock.advance(10 * 60 * 1000 - 1);
      expect((await post(webhook(robot.token), text('still banned'))).errcode).toBe(code);
      await clock.advance(1);
      expect((await post(webhook(robot.token), text('free again'))).errcode).toBe(0);
    },
  );

  it('takes the throttle code when a robot is registered over the control API', async () => {
    const register = (body: object) =>
      fetch(`${sim.url}/_sim/robots`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const created = await register({ throttle_errcode: 660026, rate_per_minute: 1 });
    expect(created.status).toBe(201);
    const robot = (await created.json()) as { token: string; throttle_errcode: number };
    expect(robot.throttle_errcode).toBe(660026);
    expect((await post(webhook(robot.token), text('one'))).errcode).toBe(0);
    expect((await post(webhook(robot.token), text('two'))).errcode).toBe(660026);
    expect((await register({ throttle_errcode: 12345 })).status).toBe(400);
  });

  it('injects faults through the control API: HTTP 500, an errcode, a timeout', async () => {
    const robot = sim.state.registerRobot();
    const queue = (fault: object) =>
      fetch(`${sim.url}/_sim/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(fault),
      });
    expect((await queue({ path: '/robot/send', mode: 'http_500', count: 2 })).status).toBe(201);
    for (let i = 0; i < 2; i++) {
      const response = await fetch(webhook(robot.token), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(text('x')),
      });
      expect(response.status).toBe(500);
    }
    await queue({ path: '/robot/send', mode: 'errcode', errcode: 400013, errmsg: 'group disbanded' });
    expect(await post(webhook(robot.token), text('x'))).toEqual({
      errcode: 400013,
      errmsg: 'group disbanded',
    });

    await queue({ path: '/robot/send', mode: 'timeout' });
    await expect(
      fetch(webhook(robot.token), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(text('x')),
        signal: AbortSignal.timeout(300),
      }),
    ).rejects.toThrow();
    expect((await post(webhook(robot.token), text('after the faults'))).errcode).toBe(0);
  });

  it('registers robots and lists messages over the control API', async () => {
    const created = await fetch(`${sim.url}/_sim/robots`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ secret: 'SECcontrol', keywords: ['通知'] }),
    });
    expect(created.status).toBe(201);
    const robot = (await created.json()) as { token: string; webhook: string };
    expect(robot.webhook).toBe(webhook(robot.token));
    await post(signedWebhookUrl(robot.webhook, 'SECcontrol', clock.now()), text('通知: hi'));
    const messages = (await (
      await fetch(`${sim.url}/_sim/messages?target=${robot.token}`)
    ).json()) as object[];
    expect(messages).toEqual([expect.objectContaining({ text: '通知: hi', signature: 'valid', errcode: 0 })]);
  });
});
