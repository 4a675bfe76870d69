import { describe, expect, it } from 'vitest';
import { checkRobotMsgParam, MSG_PARAM_KEYS } from './robot-msg-param';

const param = (keys: readonly string[]) =>
  JSON.stringify(
    Object.fromEntries(
      keys.map((key) => [key, key.endsWith('URL') || key.endsWith('Url') ? 'https://e.com' : key]),
    ),
  );

describe('simulator: robot API msgKey/msgParam (groupMessages/send, oToMessages/batchSend)', () => {
  it.each(Object.entries(MSG_PARAM_KEYS))('accepts %s with its keys %j', (msgKey, keys) => {
    expect(checkRobotMsgParam(msgKey, param(keys)).ok).toBe(true);
  });

  it.each(Object.entries(MSG_PARAM_KEYS))('refuses %s without its last key', (msgKey, keys) => {
    expect(checkRobotMsgParam(msgKey, param(keys.slice(0, -1)))).toEqual({
      ok: false,
      code: 'invalidParameter.param.invalid',
      message: `msgParam lacks ${keys[keys.length - 1]}`,
    });
  });

  it('has N vertical buttons on sampleActionCardN, and no sampleActionCard1', () => {
    expect(MSG_PARAM_KEYS.sampleActionCard3).toEqual([
      'title',
      'text',
      'actionTitle1',
      'actionURL1',
      'actionTitle2',
      'actionURL2',
      'actionTitle3',
      'actionURL3',
    ]);
    expect(MSG_PARAM_KEYS.sampleActionCard5).toHaveLength(12);
    expect(checkRobotMsgParam('sampleActionCard1', param(['title', 'text']))).toMatchObject({
      code: 'invalidParameter.msgKey.invalid',
    });
  });

  it('holds the keys to their exact casing', () => {
    const refused = (msgKey: string, value: object) => checkRobotMsgParam(msgKey, JSON.stringify(value));
    expect(refused('sampleImageMsg', { photoUrl: 'https://e.com/p.png' })).toMatchObject({
      code: 'invalidParameter.param.invalid',
    });
    expect(
      refused('sampleActionCard', { title: 't', text: 'x', singleTitle: '收到', singleUrl: 'https://e.com' }),
    ).toMatchObject({ code: 'invalidParameter.param.invalid', message: 'msgParam lacks singleURL' });
    expect(
      refused('sampleActionCard6', {
        title: 't',
        text: 'x',
        buttonTitle1: 'A',
        buttonURL1: 'https://e.com/a',
        buttonTitle2: 'B',
        buttonUrl2: 'https://e.com/b',
      }),
    ).toMatchObject({ message: 'msgParam lacks buttonUrl1' });
    expect(refused('sampleMarkdown', { title: 't', text: '' })).toMatchObject({
      message: 'msgParam lacks text',
    });
  });

  it('refuses an empty or unknown msgKey, and a msgParam that is not a JSON object in a string', () => {
    expect(checkRobotMsgParam('', '{}')).toMatchObject({ code: 'invalidParameter.msgKey.empty' });
    expect(checkRobotMsgParam('toString', '{}')).toMatchObject({ code: 'invalidParameter.msgKey.invalid' });
    expect(checkRobotMsgParam('sampleText', { content: 'x' })).toMatchObject({
      code: 'invalidParameter.msgParam.invalid',
    });
    expect(checkRobotMsgParam('sampleText', '["content"]')).toMatchObject({
      code: 'invalidParameter.msgParam.invalid',
    });
  });

  it('decodes an action card with its buttons as markdown links', () => {
    const checked = checkRobotMsgParam(
      'sampleActionCard6',
      JSON.stringify({
        title: '今日报菜',
        text: '#### 午餐',
        buttonTitle1: '收到',
        buttonUrl1: 'https://e.com/ok',
        buttonTitle2: '已备好',
        buttonUrl2: 'https://e.com/r',
      }),
    );
    expect(checked).toEqual({
      ok: true,
      message: {
        msgtype: 'sampleActionCard6',
        title: '今日报菜',
        text: '#### 午餐\n\n[收到](https://e.com/ok) · [已备好](https://e.com/r)',
      },
    });
  });
});
