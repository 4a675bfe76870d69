import { describe, expect, it } from 'vitest';
import { groupMessageBody, webhookBody, workNotificationBody } from '../../dingtalk/message-bodies';
import { OutgoingMessage } from '../../dingtalk/outgoing-message';
import { buildDigest, WIDEST_DIGEST_TITLE } from './digest-message';
import { channelsOf, jsonBytes, messageParts, SizedBot, splitText, textBudget } from './message-parts';

const webhook: SizedBot = { botType: 'webhook', userIds: [], openConversationId: null, agentId: null };
const group: SizedBot = { botType: 'stream', userIds: [], openConversationId: 'cidGroup==', agentId: '1' };
const users: SizedBot = {
  botType: 'stream',
  userIds: Array.from({ length: 100 }, (_, i) => `user${i}`),
  openConversationId: null,
  agentId: '836390886',
};
const both: SizedBot = { ...users, openConversationId: 'cidGroup==' };

const bytes = (body: Record<string, unknown>) => Buffer.byteLength(JSON.stringify(body), 'utf8');
/** What each DingTalk API measures of a message, from the real bodies (docs/dingtalk/*.md). */
const measured = (bot: SizedBot, message: OutgoingMessage) =>
  channelsOf(bot).map((channel) => {
    switch (channel) {
      case 'webhook':
        return { channel, bytes: bytes(webhookBody(message)), limit: 20_000 };
      case 'work_notification':
        return {
          channel,
          bytes: bytes(workNotificationBody(bot.agentId!, bot.userIds, message)),
          limit: 20_000,
        };
      case 'group_message': {
        const { msgParam } = groupMessageBody('dingRobot', bot.openConversationId!, message) as {
          msgParam: string;
        };
        return { channel, bytes: Buffer.byteLength(msgParam, 'utf8'), limit: 15_000 };
      }
    }
  });

const markdown = (text: string, extra: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  msgType: 'markdown',
  title: '今日报菜',
  text,
  ...extra,
});
const longText = (lines: number) =>
  Array.from({ length: lines }, (_, index) => `第 ${index} 行："宫保鸡丁" 50 份`).join('\n');

describe('size budgets per DingTalk channel', () => {
  it('keeps a message that fits every channel of the bot whole, untitled', () => {
    expect(messageParts(webhook, markdown('宫保鸡丁 50 份'))).toEqual([
      { title: '今日报菜', content: '宫保鸡丁 50 份' },
    ]);
  });

  it.each([
    ['a webhook bot (20,000-byte body)', webhook],
    ["a stream bot's group (15,000 bytes of msgParam)", group],
    ["a stream bot's users (20,000-byte body with 100 userids)", users],
    ['a stream bot with both', both],
  ])('cuts for %s: every part within every limit, measured on the real bodies', (_, bot) => {
    const message = markdown(longText(3000), { atMobiles: ['13800000000'], atUserIds: ['chef01'] });
    const parts = messageParts(bot, message);
    expect(parts.length).toBeGreaterThan(1);
    parts.forEach((part, index) => {
      const label = `（${index + 1}/${parts.length}）`;
      expect(part.title).toBe(`今日报菜${label}`);
      expect(part.content.startsWith(`${label}\n`)).toBe(true);
      for (const size of measured(bot, { ...message, title: part.title, text: part.content })) {
        expect(size.bytes, size.channel).toBeLessThanOrEqual(size.limit);
      }
    });
    const rejoined = parts.map((part) => part.content.split('\n').slice(1).join('\n')).join('\n');
    expect(rejoined).toBe(message.text);
  });

  it('cuts a group message where a webhook would take it whole', () => {
    // About 16,000 bytes as it travels: over the group's 15,000, under the webhook's 20,000.
    const message = markdown('鱼'.repeat(5_300));
    expect(messageParts(webhook, message)).toHaveLength(1);
    expect(messageParts(group, message)).toHaveLength(2);
    expect(messageParts(both, message)).toHaveLength(2);
  });

  it('leaves for the text exactly what the fullest body allows', () => {
    const message = markdown('', { title: '报菜汇总' });
    for (const bot of [webhook, group, users, both]) {
      const budget = textBudget(bot, message);
      const exact = '汉'.repeat(Math.floor(budget / 3)) + 'a'.repeat(budget % 3);
      expect(jsonBytes(exact)).toBe(budget);
      for (const size of measured(bot, { ...message, text: exact })) {
        expect(size.bytes).toBeLessThanOrEqual(size.limit);
      }
      expect(measured(bot, { ...message, text: `${exact}a` }).some((size) => size.bytes > size.limit)).toBe(
        true,
      );
    }
  });

  it('makes a digest for a stream bot’s group that fits its msgParam; the rest waits', () => {
    const items = Array.from({ length: 1000 }, (_, n) => ({
      id: String(n),
      title: `报菜通知：${'红烧狮子头'.repeat(6)} ${n} 份`,
      menuReportId: 100 + n,
    }));
    const envelope = markdown('', { title: WIDEST_DIGEST_TITLE });
    const digest = buildDigest(7, items, textBudget(group, envelope));
    expect(digest.included.length).toBeGreaterThan(10);
    expect(digest.included.length).toBeLessThan(1000);
    const [size] = measured(group, markdown(digest.content, { title: digest.title }));
    expect(size.bytes).toBeLessThanOrEqual(15_000);
    expect(size.bytes).toBeGreaterThan(14_000);
  });
});

describe('splitting text', () => {
  it('cuts a single long line by characters, never inside a character', () => {
    const line = '😀汉'.repeat(10_000);
    const chunks = splitText(line, 1000);
    expect(chunks.join('')).toBe(line);
    for (const chunk of chunks) {
      expect(jsonBytes(chunk)).toBeLessThanOrEqual(1000);
      expect(chunk).not.toMatch(/[\uD800-\uDBFF]$/);
    }
  });

  it('counts newlines as JSON sends them (two bytes each)', () => {
    const chunks = splitText('\n'.repeat(600), 1000);
    expect(chunks.length).toBe(2);
    expect(chunks.join('\n')).toBe('\n'.repeat(600));
  });
});
