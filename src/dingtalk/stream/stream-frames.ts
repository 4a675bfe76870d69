/** A frame the gateway pushes (docs/dingtalk/stream-mode.md, Frames from the gateway). `data` is a JSON string. */
export interface DownstreamFrame {
  type: 'SYSTEM' | 'EVENT' | 'CALLBACK';
  headers: { messageId: string; topic: string; contentType?: string; time?: string; [name: string]: unknown };
  data: string;
}

export const TOPIC_BOT_MESSAGE = '/v1.0/im/bot/messages/get';

/** The clicks of the 回传请求 buttons of the app's cards created with callbackType STREAM (docs/dingtalk/cards.md). */
export const TOPIC_CARD_CALLBACK = '/v1.0/card/instances/callback';

/**
 * The CALLBACK topics ACKed once their handler has kept what they carry, not on arrival: a card press, ACKed after
 * the recorder's commit. DingTalk redelivers a callback nobody ACKed (docs/dingtalk/stream-mode.md, Redelivery), so a
 * crash or a database failure between the frame's arrival and the recording loses no press: the redelivery (on this
 * connection or, after a crash, the app's next one) records it, once (the recorder's dedupe key). Bot messages keep
 * their ACK on arrival (the same page: ACK at once).
 */
export const ACKED_WHEN_HANDLED: ReadonlySet<string> = new Set([TOPIC_CARD_CALLBACK]);

/**
 * What the service subscribes to (docs/dingtalk/stream-mode.md, Subscriptions): bot messages and card clicks. EVENT
 * `*` is required by the gateway's format.
 */
export const STREAM_SUBSCRIPTIONS = [
  { type: 'EVENT', topic: '*' },
  { type: 'CALLBACK', topic: TOPIC_BOT_MESSAGE },
  { type: 'CALLBACK', topic: TOPIC_CARD_CALLBACK },
] as const;

/**
 * Reads a frame defensively: anything that is not a JSON object with a known type, a messageId and a topic gives
 * null (the SDK's `JSON.parse` throws uncaught here and takes the process down: docs/stream-connections.md, "Why not the official SDK at run time").
 */
export function parseFrame(text: string): DownstreamFrame | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const frame = parsed as { type?: unknown; headers?: unknown; data?: unknown };
  if (frame.type !== 'SYSTEM' && frame.type !== 'EVENT' && frame.type !== 'CALLBACK') return null;
  const headers = frame.headers as DownstreamFrame['headers'] | undefined;
  if (typeof headers !== 'object' || headers === null) return null;
  if (typeof headers.messageId !== 'string' || typeof headers.topic !== 'string') return null;
  const data = typeof frame.data === 'string' ? frame.data : JSON.stringify(frame.data ?? {});
  return { type: frame.type, headers, data };
}

/** The ACK of a push (docs/dingtalk/stream-mode.md). For a CALLBACK the gateway ignores `data`. */
export function ackFrame(messageId: string, data: unknown): string {
  return JSON.stringify({
    code: 200,
    headers: { contentType: 'application/json', messageId },
    message: 'OK',
    data: JSON.stringify(data),
  });
}

/** The answer to a SYSTEM frame: a ping's data (`{"opaque": …}`) echoed back, as every SDK does. */
export function systemAckFrame(frame: DownstreamFrame): string {
  return JSON.stringify({
    code: 200,
    headers: { contentType: 'application/json', messageId: frame.headers.messageId },
    message: 'OK',
    data: frame.data,
  });
}
