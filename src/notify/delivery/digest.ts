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

/**
 * DingTalk refuses a webhook body over 20,000 bytes (docs/dingtalk/custom-robot.md, "Rate limit and size"); the JSON
 * around the text needs some room.
 */
export const DIGEST_MAX_BYTES = 18_000;

/**
 * When a bot's backlog would wait longer than a minute, its waiting menu-report notifications go out as
 * one markdown digest: one line per report, oldest first, as many as fit in one message.
 */
export function buildDigest(
  storeId: number,
  items: readonly DigestItem[],
  maxBytes = DIGEST_MAX_BYTES,
): Digest {
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
    if (included.length > 0 && Buffer.byteLength(candidate, 'utf8') > maxBytes) break;
    lines.push(line);
    included.push(item);
  }
  return {
    title: `报菜汇总：${included.length} 条`,
    content: [...header(included.length), ...lines].join('\n'),
    included,
  };
}
