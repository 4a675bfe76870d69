/** A robot message body (docs/dingtalk/custom-robot.md) decoded into what a group member would see. */
export interface DecodedRobotMessage {
  msgtype: string;
  title: string | null;
  text: string;
  /** Every string a keyword could appear in. */
  searchable: string;
}

export type DecodeResult =
  { ok: true; message: DecodedRobotMessage } | { ok: false; errcode: number; errmsg: string };

const MISSING = { ok: false as const, errcode: 40035, errmsg: '缺少参数 json' };

function str(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/** Decodes text, markdown, link, actionCard and feedCard bodies; other types are refused as DingTalk refuses them. */
export function decodeRobotMessage(body: unknown): DecodeResult {
  const root = record(body);
  const msgtype = str(root?.msgtype);
  if (!root || !msgtype) return MISSING;
  const part = record(root[msgtype]);
  switch (msgtype) {
    case 'text': {
      const content = str(part?.content);
      if (!content) return MISSING;
      return { ok: true, message: { msgtype, title: null, text: content, searchable: content } };
    }
    case 'markdown':
    case 'link':
    case 'actionCard': {
      const title = str(part?.title);
      const text = str(part?.text);
      if (!title || !text) return MISSING;
      return { ok: true, message: { msgtype, title, text, searchable: `${title}\n${text}` } };
    }
    case 'feedCard': {
      const links = Array.isArray(part?.links) ? part.links.map(record) : [];
      const titles = links.map((link) => str(link?.title)).filter((title): title is string => title !== null);
      if (titles.length === 0) return MISSING;
      return {
        ok: true,
        message: { msgtype, title: titles[0], text: titles.join('\n'), searchable: titles.join('\n') },
      };
    }
    default:
      return { ok: false, errcode: 400105, errmsg: `不支持的消息类型: ${msgtype}` };
  }
}
