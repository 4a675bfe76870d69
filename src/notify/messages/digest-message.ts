import { jsonBytes } from './message-parts';

/** One waiting notification that a digest can absorb. */
export interface DigestItem {
  id: string;
  title: string;
  menuReportId: number | null;
}

export interface Digest {
  title: string;
  content: string;
  /** The items it holds, oldest first; those that did not fit wait for the next digest. */
  included: DigestItem[];
}

/** A digest's title at its longest (a digest holds at most 1,000 reports): what its size is measured with. */
export const WIDEST_DIGEST_TITLE = '报菜汇总：1000 条';

/**
 * When a bot's backlog would wait longer than a minute, its waiting menu-report notifications go out as
 * one markdown digest: one line per report, oldest first, as many as fit in one message. `maxTextBytes` is what the
 * bot's channels leave for the text (message-parts.ts textBudget), counted as it travels (jsonBytes).
 */
export function buildDigest(storeId: number, items: readonly DigestItem[], maxTextBytes: number): Digest {
  const header = (count: number) => [
    `#### 报菜汇总 · 门店 ${storeId}`,
    `共 ${count} 条报菜（消息较多，已合并为一条发送）`,
    '',
  ];
  const lines: string[] = [];
  const included: DigestItem[] = [];
  for (const item of items) {
    const line = `- ${item.title}${item.menuReportId === null ? '' : `（#${item.menuReportId}）`}`;
    const candidate = [...header(included.length + 1), ...lines, line].join('\n');
    if (included.length > 0 && jsonBytes(candidate) > maxTextBytes) break;
    lines.push(line);
    included.push(item);
  }
  return {
    title: `报菜汇总：${included.length} 条`,
    content: [...header(included.length), ...lines].join('\n'),
    included,
  };
}
