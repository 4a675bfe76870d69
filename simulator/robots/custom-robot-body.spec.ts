import { describe, expect, it } from 'vitest';
import { checkCustomRobotBody } from './custom-robot-body';

const refusal = (body: unknown) => {
  const checked = checkCustomRobotBody(body);
  if (checked.ok) throw new Error(`accepted ${JSON.stringify(body)}`);
  return checked;
};

const card = { title: '今日报菜', text: '#### 午餐' };

describe('simulator: custom robot message bodies (robot/send, sendBySession)', () => {
  it.each([
    ['text', { msgtype: 'text', text: { content: '早上好' }, at: { atUserIds: ['u1'], isAtAll: false } }],
    ['markdown', { msgtype: 'markdown', markdown: { title: '报菜', text: '#### 宫保鸡丁' } }],
    ['link without picUrl', { msgtype: 'link', link: { ...card, messageUrl: 'https://example.com/r/1' } }],
    [
      'link with an empty picUrl',
      { msgtype: 'link', link: { ...card, messageUrl: 'https://e.com', picUrl: '' } },
    ],
    [
      'actionCard with one button',
      { msgtype: 'actionCard', actionCard: { ...card, singleTitle: '收到', singleURL: 'https://e.com/ok' } },
    ],
    [
      'actionCard with buttons',
      {
        msgtype: 'actionCard',
        actionCard: {
          ...card,
          btnOrientation: '1',
          btns: [
            { title: '收到', actionURL: 'https://e.com/ok' },
            { title: '已备好', actionURL: 'https://e.com/ready' },
          ],
        },
      },
    ],
    [
      'feedCard',
      {
        msgtype: 'feedCard',
        feedCard: { links: [{ title: '午餐', messageURL: 'https://e.com/1', picURL: '' }] },
      },
    ],
  ])('accepts a %s as DingTalk documents it', (_name, body) => {
    expect(checkCustomRobotBody(body).ok).toBe(true);
  });

  it("answers a missing text or markdown field with the code DingTalk answers, naming it in DingTalk's words", () => {
    expect(refusal({ msgtype: 'text', text: {} })).toEqual({
      ok: false,
      errcode: 400202,
      errmsg: expect.stringMatching(/^错误描述:参数 text --》 content 缺失，或者参数格式不正确; 解决方案:/),
    });
    expect(refusal({ msgtype: 'markdown', markdown: { text: 'x' } }).errcode).toBe(400402);
    // An empty string is missing: PrometheusAlert's `"text":""` got 400403 (feiyu563/PrometheusAlert#63).
    expect(refusal({ msgtype: 'markdown', markdown: { title: 't', text: '' } }).errcode).toBe(400403);
    expect(refusal({ msgtype: 'markdown', markdown: 'a string, not an object' }).errcode).toBe(400402);
  });

  it.each([
    [
      "a link with feedCard's messageURL",
      { msgtype: 'link', link: { ...card, messageURL: 'https://e.com' } },
      'link --》 messageUrl',
    ],
    [
      'a link without a title',
      { msgtype: 'link', link: { text: 'x', messageUrl: 'https://e.com' } },
      'link --》 title',
    ],
    [
      'an actionCard without any button',
      { msgtype: 'actionCard', actionCard: card },
      'actionCard --》 singleTitle',
    ],
    [
      "an actionCard with a link's singleUrl",
      { msgtype: 'actionCard', actionCard: { ...card, singleTitle: '收到', singleUrl: 'https://e.com' } },
      'actionCard --》 singleURL',
    ],
    [
      'an actionCard with no btns in its list',
      { msgtype: 'actionCard', actionCard: { ...card, btns: [] } },
      'actionCard --》 btns',
    ],
    [
      'a button with actionUrl',
      {
        msgtype: 'actionCard',
        actionCard: {
          ...card,
          btns: [
            { title: 'A', actionURL: 'https://e.com/a' },
            { title: 'B', actionUrl: 'x' },
          ],
        },
      },
      'actionCard --》 btns[1] --》 actionURL',
    ],
    ['a feedCard without links', { msgtype: 'feedCard', feedCard: {} }, 'feedCard --》 links'],
    [
      "a feedCard link with a link's messageUrl",
      { msgtype: 'feedCard', feedCard: { links: [{ title: 'x', messageUrl: 'https://e.com', picUrl: '' }] } },
      'feedCard --》 links[0] --》 messageURL',
    ],
  ])('refuses %s with 40035, naming the field', (_name, body, field) => {
    expect(refusal(body)).toEqual({
      ok: false,
      errcode: 40035,
      errmsg: expect.stringContaining(`参数 ${field} 缺失`),
    });
  });

  it('refuses a body without msgtype with 40035 缺少参数 json, and types the webhook cannot send with 400105', () => {
    expect(refusal(undefined)).toMatchObject({ errcode: 40035, errmsg: '缺少参数 json' });
    expect(refusal({ text: { content: 'x' } })).toMatchObject({ errcode: 40035, errmsg: '缺少参数 json' });
    expect(refusal({ msgtype: 'image', image: { picURL: 'x' } }).errcode).toBe(400105);
    expect(refusal({ msgtype: 'ActionCard', ActionCard: card }).errcode).toBe(400105);
    expect(refusal({ msgtype: 'action_card', action_card: card }).errcode).toBe(400105);
  });

  it('decodes what the group sees: buttons and links as markdown links, keywords searched in title and text', () => {
    const checked = checkCustomRobotBody({
      msgtype: 'actionCard',
      actionCard: { ...card, btns: [{ title: '收到', actionURL: 'https://e.com/ok' }] },
    });
    expect(checked).toEqual({
      ok: true,
      message: {
        msgtype: 'actionCard',
        title: '今日报菜',
        text: '#### 午餐\n\n[收到](https://e.com/ok)',
        searchable: '今日报菜\n#### 午餐\n\n[收到](https://e.com/ok)',
      },
    });
    const feed = checkCustomRobotBody({
      msgtype: 'feedCard',
      feedCard: {
        links: [
          { title: '午餐', messageURL: 'https://e.com/1' },
          { title: '晚餐', messageURL: 'https://e.com/2' },
        ],
      },
    });
    expect(feed).toMatchObject({ ok: true, message: { title: '午餐', searchable: '午餐\n晚餐' } });
  });
});
