import { describe, expect, it } from 'vitest';
import { checkWorkNotificationMsg } from './work-notification-msg';

const card = { title: '今日报菜', markdown: '#### 午餐' };
const oa = {
  message_url: 'https://e.com/r/1',
  head: { bgcolor: 'FFBBBBBB', text: '报菜' },
  body: { title: '午餐' },
};

describe('simulator: work notification msg (asyncsend_v2)', () => {
  it.each([
    ['text', { msgtype: 'text', text: { content: '月会通知' } }],
    ['markdown', { msgtype: 'markdown', markdown: { title: '报菜', text: '## 午餐' } }],
    [
      'link',
      {
        msgtype: 'link',
        link: { messageUrl: 'https://e.com', picUrl: '@lALOACZwe2Rk', title: 't', text: 'x' },
      },
    ],
    [
      'one-button action_card',
      { msgtype: 'action_card', action_card: { ...card, single_title: '查看', single_url: 'https://e.com' } },
    ],
    [
      'action_card with btn_json_list',
      {
        msgtype: 'action_card',
        action_card: {
          ...card,
          btn_orientation: '1',
          btn_json_list: [{ title: '收到', action_url: 'https://e.com/ok' }],
        },
      },
    ],
    ['oa', { msgtype: 'oa', oa }],
    ['image', { msgtype: 'image', image: { media_id: '@lADOADmaWMzazQKA' } }],
    ['voice', { msgtype: 'voice', voice: { media_id: '@x', duration: '10' } }],
    ['msg as the JSON string of a form body', JSON.stringify({ msgtype: 'text', text: { content: 'x' } })],
  ])('accepts a %s', (_name, msg) => {
    expect(checkWorkNotificationMsg(msg).ok).toBe(true);
  });

  it.each([
    ['markdown without a title', { msgtype: 'markdown', markdown: { text: 'x' } }, 'msg.markdown.title'],
    [
      "a link with the robots' messageURL",
      { msgtype: 'link', link: { messageURL: 'https://e.com', picUrl: 'x', title: 't', text: 'x' } },
      'msg.link.messageUrl',
    ],
    [
      'an action_card without buttons',
      { msgtype: 'action_card', action_card: card },
      'msg.action_card.single_title',
    ],
    [
      "an action_card in the robots' camelCase",
      { msgtype: 'action_card', action_card: { ...card, singleTitle: '查看', singleURL: 'https://e.com' } },
      'msg.action_card.single_title',
    ],
    [
      'a button without action_url',
      {
        msgtype: 'action_card',
        action_card: { ...card, btn_json_list: [{ title: '收到', actionURL: 'x' }] },
      },
      'msg.action_card.btn_json_list[0].action_url',
    ],
    [
      'an oa without a head colour',
      { msgtype: 'oa', oa: { ...oa, head: { text: '报菜' } } },
      'msg.oa.head.bgcolor',
    ],
    ['an oa without a body', { msgtype: 'oa', oa: { ...oa, body: undefined } }, 'msg.oa.body'],
    ['a voice without its duration', { msgtype: 'voice', voice: { media_id: '@x' } }, 'msg.voice.duration'],
    ['no msgtype', { text: { content: 'x' } }, 'msg.msgtype'],
  ])('names the missing field of %s', (_name, msg, field) => {
    expect(checkWorkNotificationMsg(msg)).toEqual({ ok: false, field, missing: true });
  });

  it("calls a type it does not know (the robots' actionCard, a misspelt one) an invalid msg.msgtype", () => {
    expect(checkWorkNotificationMsg({ msgtype: 'actionCard', actionCard: card })).toEqual({
      ok: false,
      field: 'msg.msgtype',
      missing: false,
    });
  });

  it('decodes the buttons of an action_card as markdown links', () => {
    const checked = checkWorkNotificationMsg({
      msgtype: 'action_card',
      action_card: {
        ...card,
        btn_json_list: [
          { title: '收到', action_url: 'https://e.com/ok' },
          { title: '已备好', action_url: 'https://e.com/r' },
        ],
      },
    });
    expect(checked).toEqual({
      ok: true,
      message: {
        msgtype: 'action_card',
        title: '今日报菜',
        text: '#### 午餐\n\n[收到](https://e.com/ok) · [已备好](https://e.com/r)',
      },
    });
  });
});
