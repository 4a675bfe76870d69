import { randomBytes } from 'node:crypto';

/** What the gateway pushes (docs/dingtalk/stream-mode.md): `data` is a JSON *string*, `headers.time` a string of ms. */
export interface SimDownstreamFrame {
  specVersion: '1.0';
  type: 'SYSTEM' | 'EVENT' | 'CALLBACK';
  headers: {
    appId: string;
    connectionId: string;
    contentType: 'application/json';
    messageId: string;
    time: string;
    topic: string;
  } & Partial<EventHeaders>;
  data: string;
}

/** What an EVENT frame adds to the headers (docs/dingtalk/stream-mode.md, Frames from the gateway). */
export interface EventHeaders {
  eventType: string;
  eventId: string;
  eventCorpId: string;
  /** ms epoch, as a string like `time`. */
  eventBornTime: string;
  eventUnifiedAppId: string;
}

/** What a client answers (docs/dingtalk/stream-mode.md, ACKs), as far as the gateway reads it. */
export interface SimAck {
  messageId: string;
  connectionId: string;
  code: number | null;
  message: string | null;
  data: string | null;
  /** For EVENT frames: the `status` inside `data` (`SUCCESS` or `LATER`); null when there is none. */
  status: string | null;
  at: number;
}

export const TOPIC_BOT_MESSAGE = '/v1.0/im/bot/messages/get';

/**
 * EVENT frames go to connections subscribed to `EVENT *` and carry that topic; which events come is chosen in the
 * developer console, not by topic (docs/dingtalk/stream-mode.md, Subscriptions).
 */
export const EVENT_TOPIC = '*';

/** Does a connection with these subscriptions receive a frame of this type and topic? */
export function subscribesTo(
  subscriptions: ReadonlyArray<{ type: string; topic: string }>,
  type: SimDownstreamFrame['type'],
  topic: string,
): boolean {
  if (type === 'SYSTEM') return true;
  const wanted = type === 'EVENT' ? EVENT_TOPIC : topic;
  return subscriptions.some((subscription) => subscription.type === type && subscription.topic === wanted);
}

/** Real ids look like `212ca9d7_974_1898c159aa6_1783b`: opaque, unique per push. */
export function newMessageId(sequence: number, now: number): string {
  return `${randomBytes(4).toString('hex')}_${sequence}_${now.toString(16)}_${randomBytes(2).toString('hex')}`;
}

export function downstreamFrame(input: {
  type: SimDownstreamFrame['type'];
  topic: string;
  appId: string;
  connectionId: string;
  messageId: string;
  now: number;
  data: unknown;
  event?: EventHeaders;
}): SimDownstreamFrame {
  return {
    specVersion: '1.0',
    type: input.type,
    headers: {
      appId: input.appId,
      connectionId: input.connectionId,
      contentType: 'application/json',
      messageId: input.messageId,
      time: String(input.now),
      topic: input.topic,
      ...input.event,
    },
    data: JSON.stringify(input.data),
  };
}

/** Reads a client's frame; null when it is not a JSON object with a messageId (recorded as invalid). */
export function readAck(text: string, connectionId: string, at: number): SimAck | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const frame = parsed as { code?: unknown; message?: unknown; data?: unknown; headers?: unknown };
  const headers = (frame.headers ?? {}) as { messageId?: unknown };
  if (typeof headers.messageId !== 'string') return null;
  return {
    messageId: headers.messageId,
    connectionId,
    code: typeof frame.code === 'number' ? frame.code : null,
    message: typeof frame.message === 'string' ? frame.message : null,
    data: typeof frame.data === 'string' ? frame.data : null,
    status: typeof frame.data === 'string' ? statusOf(frame.data) : null,
    at,
  };
}

/** An EVENT ACK's `data` is a JSON string holding `{status, message}`; anything else has no status. */
function statusOf(data: string): string | null {
  try {
    const parsed = JSON.parse(data) as { status?: unknown } | null;
    return typeof parsed?.status === 'string' ? parsed.status : null;
  } catch {
    return null;
  }
}
