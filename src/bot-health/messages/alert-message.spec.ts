import { describe, expect, it } from 'vitest';
import { AlertFacts, alertMessage } from './alert-message';

const facts: AlertFacts = {
  id: '1',
  type: 'broken',
  botId: 7,
  botName: '[点此处理](https://evil.example)',
  botType: 'webhook',
  storeId: 12,
  health: 'broken',
  reason: 'send_refused',
  detail: 'errcode 310000: **sign** not match <img src=x>',
  hint: 'Copy the `SEC…` secret again',
  since: new Date('2026-12-07T08:00:00Z'),
  createdAt: new Date('2026-12-07T08:01:00Z'),
};

describe('alertMessage', () => {
  it('shows a store’s bot name, DingTalk’s answer and the hint as written in markdown: no link, emphasis or HTML', () => {
    const { content } = alertMessage(facts, 'markdown', 'Asia/Shanghai');
    expect(content).not.toContain('[点此处理](https://evil.example)');
    expect(content).toContain('「\\[点此处理\\]\\(https://evil.example\\)」');
    expect(content).toContain('钉钉返回：errcode 310000: \\*\\*sign\\*\\* not match \\<img src=x\\>');
    expect(content).toContain('处理建议：Copy the \\`SEC…\\` secret again');
    expect(content.startsWith('#### 机器人故障：')).toBe(true);
  });

  it('leaves a text message’s words alone: text shows them as written anyway', () => {
    const { content } = alertMessage(facts, 'text', 'Asia/Shanghai');
    expect(content).toContain('「[点此处理](https://evil.example)」');
  });
});
