import { describe, expect, it } from 'vitest';
import { messageParts, PART_BUDGET_BYTES, splitText } from './message-parts';

const jsonBytes = (text: string) => Buffer.byteLength(JSON.stringify(text), 'utf8') - 2;

describe('splitting messages over DingTalk’s size limit', () => {
  it('keeps a message within the budget whole, untitled', () => {
    expect(messageParts('报菜', '宫保鸡丁 50 份')).toEqual([{ title: '报菜', content: '宫保鸡丁 50 份' }]);
  });

  it('cuts at line ends, numbers the parts, and loses nothing', () => {
    const lines = Array.from({ length: 3000 }, (_, index) => `第 ${index} 行：宫保鸡丁 50 份`);
    const parts = messageParts('今日报菜', lines.join('\n'));
    expect(parts.length).toBeGreaterThan(1);
    parts.forEach((part, index) => {
      const label = `（${index + 1}/${parts.length}）`;
      expect(part.title).toBe(`今日报菜${label}`);
      expect(part.content.startsWith(`${label}\n`)).toBe(true);
      expect(jsonBytes(part.content)).toBeLessThanOrEqual(PART_BUDGET_BYTES);
    });
    const rejoined = parts.map((part) => part.content.split('\n').slice(1).join('\n')).join('\n');
    expect(rejoined).toBe(lines.join('\n'));
  });

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
