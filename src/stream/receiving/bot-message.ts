/**
 * A message a staff member wrote to a stream bot: the fields of docs/dingtalk/stream-mode.md (Bot messages) this
 * service uses.
 */
export interface BotMessage {
  /** DingTalk's id of the message: the de-duplication key (redeliveries carry the same one). */
  msgId: string;
  msgType: string;
  /** `text.content` for text messages; null for pictures, files and the rest. */
  text: string | null;
  conversationId: string | null;
  /** '1' one-to-one, '2' group. */
  conversationType: '1' | '2' | null;
  conversationTitle: string | null;
  senderStaffId: string | null;
  senderNick: string | null;
  robotCode: string | null;
  sessionWebhook: string | null;
  /** ms epoch; null when absent. */
  sessionWebhookExpiredTime: number | null;
}

export type BotMessageParse = { ok: true; message: BotMessage } | { ok: false; problem: string };

/**
 * Reads a CALLBACK frame's `data` (a JSON string). Defensive: whatever arrives, the answer is a message or a
 * reason, never an exception; only `msgId` is required, because without it a message cannot be handled once.
 */
export function parseBotMessage(data: string): BotMessageParse {
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return { ok: false, problem: 'data is not JSON' };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, problem: 'data is not a JSON object' };
  }
  const body = raw as Record<string, unknown>;
  const msgId = str(body.msgId);
  if (!msgId) return { ok: false, problem: 'data has no msgId' };
  const msgType = str(body.msgtype) ?? 'unknownMsgType';
  const textPart = body.text as { content?: unknown } | null | undefined;
  const conversationType = str(body.conversationType);
  return {
    ok: true,
    message: {
      msgId,
      msgType,
      text: msgType === 'text' && typeof textPart?.content === 'string' ? textPart.content : null,
      conversationId: str(body.conversationId),
      conversationType: conversationType === '1' || conversationType === '2' ? conversationType : null,
      conversationTitle: str(body.conversationTitle),
      senderStaffId: str(body.senderStaffId),
      senderNick: str(body.senderNick),
      robotCode: str(body.robotCode),
      sessionWebhook: str(body.sessionWebhook),
      sessionWebhookExpiredTime: epochMs(body.sessionWebhookExpiredTime),
    },
  };
}

function str(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** DingTalk sends times as numbers in bot messages but as strings in frame headers; accept both. */
function epochMs(value: unknown): number | null {
  const ms = typeof value === 'string' ? Number(value) : value;
  return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? ms : null;
}
