import WebSocket from 'ws';

/**
 * The inbound benchmark's baseline (bench/inbound.bench.ts): a bare `ws` client that does what the service does for
 * each bot message, and nothing else. It connects like the service (`connections/open` with the same subscriptions
 * and `Accept: application/json`, then the WebSocket with the ticket; docs/dingtalk/stream-mode.md), ACKs every
 * callback at once, and answers it through the message's `sessionWebhook` (docs/dingtalk/robot-messages.md), once
 * per msgId. Runs as its own process: SIM_URL, CLIENT_ID and CLIENT_SECRET name the simulator and the app. Prints
 * CONNECTED when its socket is open; a reply DingTalk refused or that failed is printed on stderr.
 */
const SIM_URL = required('SIM_URL');
const CLIENT_ID = required('CLIENT_ID');
const CLIENT_SECRET = required('CLIENT_SECRET');
const TOPIC_BOT_MESSAGE = '/v1.0/im/bot/messages/get';
/** Every call has a deadline, as the service's DingTalk client has. */
const CALL_TIMEOUT_MS = 10_000;
const RECONNECT_DELAY_MS = 1_000;

interface Frame {
  type?: string;
  headers?: { messageId?: string; topic?: string };
  data?: string;
}

interface BotMessage {
  msgId?: string;
  sessionWebhook?: string;
  senderStaffId?: string;
  text?: { content?: string };
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

const answered = new Set<string>();
let socket: WebSocket | null = null;
let stopping = false;

async function ticketUrl(): Promise<string> {
  const response = await fetch(`${SIM_URL}/v1.0/gateway/connections/open`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      subscriptions: [
        { type: 'EVENT', topic: '*' },
        { type: 'CALLBACK', topic: TOPIC_BOT_MESSAGE },
      ],
      ua: 'inbound-bench-baseline',
    }),
    signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
  });
  const body = (await response.json()) as { endpoint?: string; ticket?: string };
  if (response.status !== 200 || !body.endpoint || !body.ticket) {
    throw new Error(`connections/open answered ${response.status}`);
  }
  return `${body.endpoint}?ticket=${body.ticket}`;
}

function ack(messageId: string, data: string): string {
  return JSON.stringify({
    code: 200,
    headers: { contentType: 'application/json', messageId },
    message: 'OK',
    data,
  });
}

async function reply(message: BotMessage): Promise<void> {
  const content = message.text?.content?.trim() ?? '';
  const response = await fetch(message.sessionWebhook!, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      msgtype: 'text',
      text: { content: `已收到：${content}` },
      at: { atUserIds: message.senderStaffId ? [message.senderStaffId] : [] },
    }),
    signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
  });
  const body = (await response.json()) as { errcode?: unknown };
  if (response.status !== 200 || body.errcode !== 0) {
    process.stderr.write(`reply refused: HTTP ${response.status} errcode ${String(body.errcode)}\n`);
  }
}

function onFrame(ws: WebSocket, text: string): void {
  const frame = JSON.parse(text) as Frame;
  const messageId = frame.headers?.messageId;
  if (!messageId) return;
  if (frame.type === 'SYSTEM') {
    if (frame.headers?.topic === 'ping') ws.send(ack(messageId, frame.data ?? '{}'));
    return;
  }
  if (frame.type === 'EVENT') {
    ws.send(ack(messageId, JSON.stringify({ status: 'SUCCESS', message: 'success' })));
    return;
  }
  if (frame.type !== 'CALLBACK' || frame.headers?.topic !== TOPIC_BOT_MESSAGE) return;
  // ACK first: DingTalk redelivers a callback whose ACK comes late (docs/dingtalk/stream-mode.md).
  ws.send(ack(messageId, JSON.stringify({ response: null })));
  const message = JSON.parse(frame.data ?? '{}') as BotMessage;
  if (!message.msgId || !message.sessionWebhook || answered.has(message.msgId)) return;
  answered.add(message.msgId);
  reply(message).catch((error: unknown) => {
    process.stderr.write(`reply failed: ${error instanceof Error ? error.message : String(error)}\n`);
  });
}

async function connect(): Promise<void> {
  const url = await ticketUrl();
  const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: CALL_TIMEOUT_MS });
  socket = ws;
  ws.on('open', () => process.stdout.write('CONNECTED\n'));
  ws.on('message', (raw: Buffer, isBinary) => {
    if (!isBinary) onFrame(ws, raw.toString('utf8'));
  });
  ws.on('error', (error) => process.stderr.write(`socket error: ${error.message}\n`));
  ws.on('close', () => {
    if (!stopping) setTimeout(() => void reconnect(), RECONNECT_DELAY_MS);
  });
}

async function reconnect(): Promise<void> {
  try {
    await connect();
  } catch (error) {
    process.stderr.write(`connect failed: ${error instanceof Error ? error.message : String(error)}\n`);
    if (!stopping) setTimeout(() => void reconnect(), RECONNECT_DELAY_MS);
  }
}

process.once('SIGTERM', () => {
  stopping = true;
  socket?.close(1000, 'stopping');
  setTimeout(() => process.exit(0), 200).unref();
});

void reconnect();
