import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseActionCard } from '../../dingtalk/outgoing-message';
import type { ReportedDish } from '../../events/menu-report.events';
import { confirmableReport, ConfirmingBot, NOT_REQUESTED } from './confirmable-report';
import { readLinkToken } from './confirmation-link';

const report: ReportedDish = {
  id: 1042,
  storeId: 1,
  dishId: null,
  dishName: '宫保鸡丁',
  quantity: 8,
  unit: '份',
  remark: null,
  reportedBy: '王店长',
  source: 'api',
  createdAt: new Date('2026-11-24T02:40:00Z'),
};
const buttons = [
  { action: 'received', label: '收到' },
  { action: 'ready', label: '已备好' },
];
const shown = {
  title: '报菜通知：宫保鸡丁 8 份',
  content: '#### 报菜通知 · 门店 1\n> 报菜编号 #1042',
  markdown: true,
};
/** The message the bot sends without confirmation (its own type: text here). */
const asSent = { msgType: 'text' as const, content: '报菜通知 · 门店 1\n报菜编号 #1042' };
const key = randomBytes(32);
const webhook: ConfirmingBot = {
  botType: 'webhook',
  userIds: [],
  openConversationId: null,
  agentId: null,
  cardTemplateId: null,
};
const stream: ConfirmingBot = {
  botType: 'stream',
  userIds: ['chef01'],
  openConversationId: 'cidKitchen==',
  agentId: '3001',
  cardTemplateId: 'kitchen-confirmation.schema',
};

describe('a confirmable report, per bot', () => {
  it("gives a webhook bot an ActionCard whose buttons are signed links to the service's address", () => {
    const decision = confirmableReport(
      webhook,
      report,
      shown,
      buttons,
      { publicUrl: 'https://notify.example.com', key },
      'Asia/Shanghai',
      asSent,
    );
    expect(decision.kind).toBe('buttons');
    if (decision.kind !== 'buttons') return;
    expect(decision.message).toMatchObject({ msgType: 'actionCard', title: shown.title });
    const card = parseActionCard(decision.message.content);
    expect(card.text).toContain('报菜编号 #1042');
    expect(card.btns.map((b) => b.title)).toEqual(['收到', '已备好']);
    card.btns.forEach((button, index) => {
      const token = button.actionURL.replace('https://notify.example.com/c/', '');
      expect(readLinkToken(key, token)).toEqual({ ticket: decision.ticket, button: index });
    });
  });

  it('says why a webhook bot gets no buttons without PUBLIC_URL', () => {
    expect(
      confirmableReport(webhook, report, shown, buttons, { publicUrl: null, key }, 'Asia/Shanghai', asSent),
    ).toEqual({
      kind: 'not_requested',
      reason: NOT_REQUESTED.noPublicUrl,
    });
  });

  it("gives a stream bot with a card template a card of the template's variables, all strings, unconfirmed", () => {
    const decision = confirmableReport(
      stream,
      report,
      shown,
      buttons,
      { publicUrl: null, key },
      'Asia/Shanghai',
      asSent,
    );
    expect(decision).toMatchObject({
      kind: 'buttons',
      ticket: null,
      message: { msgType: 'card', title: shown.title },
    });
    if (decision.kind !== 'buttons') return;
    expect(JSON.parse(decision.message.content)).toEqual({
      cardParamMap: {
        summary: '报菜：宫保鸡丁 × 8 份',
        title: '报菜 · 门店 1',
        dish_name: '宫保鸡丁',
        quantity: '8 份',
        store_name: '门店 1',
        report_time: expect.stringMatching(/10:40/),
        status: '',
        confirmed_text: '',
      },
      // The bot's user_ids get the report as without confirmation: a work notification cannot show the card.
      plain: { msgType: 'text', text: asSent.content },
    });
  });

  it("gives no card when the users' plain rendition is too long for one work notification (never in parts)", () => {
    const long = { msgType: 'markdown' as const, content: '宫保鸡丁'.repeat(2_000) };
    const links = { publicUrl: null, key };
    expect(confirmableReport(stream, report, shown, buttons, links, 'UTC', long)).toEqual({
      kind: 'not_requested',
      reason: NOT_REQUESTED.tooLong,
    });
    // A bot without users sends it nowhere but as the card: nothing to measure.
    expect(
      confirmableReport({ ...stream, userIds: [] }, report, shown, buttons, links, 'UTC', long).kind,
    ).toBe('buttons');
  });

  it('says why a stream bot without a card template, or without a group, gets no buttons', () => {
    const links = { publicUrl: 'https://notify.example.com', key };
    expect(
      confirmableReport({ ...stream, cardTemplateId: null }, report, shown, buttons, links, 'UTC', asSent),
    ).toEqual({
      kind: 'not_requested',
      reason: NOT_REQUESTED.noCardTemplate,
    });
    expect(
      confirmableReport(
        { ...stream, openConversationId: null },
        report,
        shown,
        buttons,
        links,
        'UTC',
        asSent,
      ),
    ).toEqual({
      kind: 'not_requested',
      reason: NOT_REQUESTED.noGroup,
    });
  });
});
