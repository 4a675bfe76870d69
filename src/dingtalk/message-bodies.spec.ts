import { describe, expect, it } from 'vitest';
import {
  groupMessageBody,
  measuredBytes,
  oneToOneMessageBody,
  webhookBody,
  workNotificationBody,
} from './message-bodies';
import { cardParamMapOf, OutgoingMessage } from './outgoing-message';

// DingTalk refuses a markdown message without a title on every API (docs/dingtalk/custom-robot.md,
// work-notifications.md, robot-messages.md): a template may render one empty.
const untitled = (text: string): OutgoingMessage => ({ msgType: 'markdown', title: '', text });

const titles = (message: OutgoingMessage) => {
  const webhook = webhookBody(message) as { markdown: { title: string } };
  const work = workNotificationBody('3001', ['u1'], message) as { msg: { markdown: { title: string } } };
  const [group, oneToOne] = [
    groupMessageBody('dingstore', 'cid==', message),
    oneToOneMessageBody('dingstore', ['u1'], message),
  ].map((body) => (JSON.parse(body.msgParam as string) as { title: string }).title);
  return [webhook.markdown.title, work.msg.markdown.title, group, oneToOne];
};

describe('message bodies: a markdown title is never empty', () => {
  it('keeps a title that is there', () => {
    expect(titles({ msgType: 'markdown', title: '报菜：米饭', text: '#### 米饭 × 2 斤' })).toEqual(
      Array(4).fill('报菜：米饭'),
    );
  });

  it("takes the text's first line, without its markdown marks, for an empty or blank title", () => {
    expect(titles(untitled('\n#### 米饭 × 2 斤\n- 备注：少辣'))).toEqual(Array(4).fill('米饭 × 2 斤'));
    expect(titles({ ...untitled('> 报菜人：张师傅'), title: '  ' })).toEqual(Array(4).fill('报菜人：张师傅'));
  });

  it('cuts a long first line to 50 characters', () => {
    const [title] = titles(untitled('好'.repeat(80)));
    expect(title).toBe('好'.repeat(50));
  });

  it('leaves a text message alone, and an untitled markdown without any text untitled', () => {
    expect(webhookBody({ msgType: 'text', title: '', text: '开门了' })).toMatchObject({
      msgtype: 'text',
      text: { content: '开门了' },
    });
    expect(titles(untitled(''))).toEqual(['', '', '', '']);
  });
});

describe('message bodies: a card is not a message of the message APIs', () => {
  const card: OutgoingMessage = {
    msgType: 'card',
    title: '报菜：宫保鸡丁',
    text: JSON.stringify({ cardParamMap: { dish_name: '宫保鸡丁', quantity: '8 份', status: '' } }),
  };

  it('refuses to make a webhook, work notification or robot message body of it', () => {
    expect(() => webhookBody(card)).toThrow(/custom robot.*card API/);
    expect(() => workNotificationBody('3001', ['u1'], card)).toThrow(/work notification/);
    expect(() => groupMessageBody('dingstore', 'cid==', card)).toThrow(/robot message/);
    expect(() => oneToOneMessageBody('dingstore', ['u1'], card)).toThrow(/robot message/);
  });

  it('measures it on its cardData JSON on every channel', () => {
    const bytes = Buffer.byteLength(card.text, 'utf8');
    for (const channel of ['webhook', 'work_notification', 'group_message'] as const) {
      expect(measuredBytes(channel, card)).toBe(bytes);
    }
  });

  it('reads its variables, strings only', () => {
    expect(cardParamMapOf(card)).toEqual({ dish_name: '宫保鸡丁', quantity: '8 份', status: '' });
    expect(() => cardParamMapOf({ text: '宫保鸡丁' })).toThrow(/not JSON/);
    expect(() => cardParamMapOf({ text: '{"dish_name":"宫保鸡丁"}' })).toThrow(/cardParamMap is missing/);
    expect(() => cardParamMapOf({ text: '{"cardParamMap":{"quantity":8}}' })).toThrow(
      /quantity is not a string/,
    );
  });
});
