import { describe, expect, it } from 'vitest';
import { SESSION_TTL_MS } from '../../simulator/core/simulator-state';
import { ManualClock } from '../support/clocks';
import { useSimulator } from '../support/use-test-app';
import { postToDingTalk } from '../support/raw-http';

const post = postToDingTalk;

describe('simulator: replies through a sessionWebhook (docs/dingtalk/robot-messages.md)', () => {
  const clock = new ManualClock();
  const sim = useSimulator({ clock });

  const open = (conversationId: string, conversationType: '1' | '2' = '2') => {
    const app = sim.state.registerApp();
    const session = sim.state.openSession({
      clientId: app.clientId,
      conversationId,
      conversationType,
      senderStaffId: 'manager1234',
    });
    return { app, session, url: sim.state.sessionWebhook(sim.url, session) };
  };

  it('accepts a text or markdown reply without any token and shows it in the conversation', async () => {
    const { app, url } = open('cidGroupA==');
    expect(await post(url, { msgtype: 'text', text: { content: '已报菜' } })).toEqual({
      errcode: 0,
      errmsg: 'ok',
    });
    expect(
      await post(url, { msgtype: 'markdown', markdown: { title: '今日报菜', text: '#### 今日报菜' } }),
    ).toEqual({ errcode: 0, errmsg: 'ok' });
    const replies = sim.state.received({ channel: 'session', target: 'cidGroupA==' });
    expect(replies).toMatchObject([
      { clientId: app.clientId, msgtype: 'text', text: '已报菜', errcode: 0 },
      { clientId: app.clientId, msgtype: 'markdown', title: '今日报菜', text: '#### 今日报菜', errcode: 0 },
    ]);
  });

  it('answers 300001 session 不存在 once the session has expired, and for an unknown session', async () => {
    const { url } = open('cidGroupB==');
    await clock.advance(SESSION_TTL_MS - 1);
    expect((await post(url, { msgtype: 'text', text: { content: 'still open' } })).errcode).toBe(0);
    await clock.advance(1);
    expect(await post(url, { msgtype: 'text', text: { content: 'too late' } })).toEqual({
      errcode: 300001,
      errmsg: 'session 不存在',
    });
    expect(
      await post(`${sim.url}/robot/sendBySession?session=nope`, { msgtype: 'text', text: { content: 'x' } }),
    ).toEqual({ errcode: 300001, errmsg: 'session 不存在' });
    expect(sim.state.received({ channel: 'session', target: 'cidGroupB==', accepted: true })).toHaveLength(1);
  });

  it('refuses a body without content (400202), a wrong content type (43004) and over 20,000 bytes (460101)', async () => {
    const { url } = open('cidGroupC==');
    expect((await post(url, { msgtype: 'text', text: {} })).errcode).toBe(400202);
    // The custom robot's body rules, all of them: an actionCard needs a button here too.
    const noButton = { msgtype: 'actionCard', actionCard: { title: '今日报菜', text: '#### 午餐' } };
    expect(await post(url, noButton)).toMatchObject({
      errcode: 40035,
      errmsg: expect.stringContaining('参数 actionCard --》 singleTitle 缺失'),
    });
    expect(
      (await post(url, JSON.stringify({ msgtype: 'text', text: { content: 'x' } }), 'text/plain')).errcode,
    ).toBe(43004);
    expect((await post(url, { msgtype: 'text', text: { content: '好'.repeat(6_700) } })).errcode).toBe(
      460101,
    );
  });

  it('holds every msgtype to its fields in their exact casing, as /robot/send does (simulator/README.md, Message bodies)', async () => {
    const { url } = open('cidGroupD==');
    const answers = async (body: unknown) => {
      const { errcode, errmsg } = await post(url, body);
      return [errcode, String(errmsg).match(/参数 (.+?) 缺失/)?.[1] ?? errmsg];
    };
    const link = { title: '今日报菜', text: '午餐', picUrl: '' };
    await expect(
      answers({ msgtype: 'link', link: { ...link, messageURL: 'https://e.com/r' } }),
    ).resolves.toEqual([40035, 'link --》 messageUrl']);
    await expect(
      answers({ msgtype: 'link', link: { ...link, messageUrl: 'https://e.com/r' } }),
    ).resolves.toEqual([0, 'ok']);
    const feed = { title: '午餐', messageUrl: 'https://e.com/r' };
    await expect(answers({ msgtype: 'feedCard', feedCard: { links: [feed] } })).resolves.toEqual([
      40035,
      'feedCard --》 links[0] --》 messageURL',
    ]);
    const buttons = {
      title: '今日报菜',
      text: '午餐',
      btns: [{ title: '收到', actionUrl: 'https://e.com/ok' }],
    };
    await expect(answers({ msgtype: 'actionCard', actionCard: buttons })).resolves.toEqual([
      40035,
      'actionCard --》 btns[0] --》 actionURL',
    ]);
    await expect(answers({ msgtype: 'markdown', markdown: { text: '午餐' } })).resolves.toEqual([
      400402,
      'markdown --》 title',
    ]);
    await expect(answers({ msgtype: 'image', image: { picURL: 'https://e.com/p.png' } })).resolves.toEqual([
      400105,
      '不支持的消息类型: image',
    ]);
  });
});
