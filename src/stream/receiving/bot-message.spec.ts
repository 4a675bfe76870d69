import { describe, expect, it } from 'vitest';
import { parseBotMessage } from './bot-message';

describe('parseBotMessage (docs/dingtalk/stream-mode.md, Bot messages)', () => {
  it('reads the fields of a text message', () => {
    const parsed = parseBotMessage(
      JSON.stringify({
        msgId: 'msgLICYe==',
        msgtype: 'text',
        text: { content: ' 报菜 宫保鸡丁 50 份' },
        conversationId: 'cid1==',
        conversationType: '2',
        conversationTitle: '厨房',
        senderStaffId: 'manager1234',
        senderNick: '张三',
        robotCode: 'dingabc',
        sessionWebhook: 'https://oapi.dingtalk.com/robot/sendBySession?session=ab',
        sessionWebhookExpiredTime: 1690367502194,
      }),
    );
    expect(parsed).toEqual({
      ok: true,
      message: {
        msgId: 'msgLICYe==',
        msgType: 'text',
        text: ' 报菜 宫保鸡丁 50 份',
        conversationId: 'cid1==',
        conversationType: '2',
        conversationTitle: '厨房',
        senderStaffId: 'manager1234',
        senderNick: '张三',
        robotCode: 'dingabc',
        sessionWebhook: 'https://oapi.dingtalk.com/robot/sendBySession?session=ab',
        sessionWebhookExpiredTime: 1690367502194,
      },
    });
  });

  it('keeps a picture without text, and tolerates numbers where strings are usual', () => {
    const parsed = parseBotMessage(
      JSON.stringify({
        msgId: 'm2',
        msgtype: 'picture',
        content: { downloadCode: 'x' },
        conversationType: 1,
      }),
    );
    expect(parsed).toMatchObject({
      ok: true,
      message: { msgType: 'picture', text: null, conversationType: '1' },
    });
  });

  it.each([
    ['{not json', 'data is not JSON'],
    ['[1]', 'data is not a JSON object'],
    ['null', 'data is not a JSON object'],
    [JSON.stringify({ msgtype: 'text', text: { content: 'hi' } }), 'data has no msgId'],
  ])('refuses %j: %s', (data, problem) => {
    expect(parseBotMessage(data)).toEqual({ ok: false, problem });
  });
});
