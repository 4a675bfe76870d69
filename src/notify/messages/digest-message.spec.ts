import { describe, expect, it } from 'vitest';
import { buildDigest } from './digest-message';

const item = (n: number) => ({ id: String(n), title: `报菜通知：宫保鸡丁 ${n} 份`, menuReportId: 100 + n });

describe('buildDigest', () => {
  it('lists every waiting report, oldest first, under one markdown heading', () => {
    const digest = buildDigest(7, [item(1), item(2)], 15_000);
    expect(digest.title).toBe('报菜汇总：2 条');
    expect(digest.content).toBe(
      [
        '#### 报菜汇总 · 门店 7',
        '共 2 条报菜（消息较多，已合并为一条发送）',
        '',
        '- 报菜通知：宫保鸡丁 1 份（#101）',
        '- 报菜通知：宫保鸡丁 2 份（#102）',
      ].join('\n'),
    );
    expect(digest.included.map((i) => i.id)).toEqual(['1', '2']);
  });

  it('stops at the size limit; the rest waits for the next digest', () => {
    const items = Array.from({ length: 500 }, (_, i) => item(i));
    const digest = buildDigest(7, items, 2_000);
    // As the text travels: JSON-escaped, a newline two bytes.
    expect(Buffer.byteLength(JSON.stringify(digest.content), 'utf8') - 2).toBeLessThanOrEqual(2_000);
    expect(digest.included.length).toBeGreaterThan(10);
    expect(digest.included.length).toBeLessThan(500);
    expect(digest.content).toContain(`共 ${digest.included.length} 条`);
  });
});
