import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { verifySignature } from '../../simulator/robots/robot-signature';

/**
 * The DingTalk end of the delivery benchmark, in its own process so that its work (one HMAC per message) and its
 * clock are not disturbed by the load generator's event loop: `POST /robot/send?access_token&timestamp&sign`
 * checks the signature against that robot's secret and the 1-hour timestamp window with the simulator's own
 * check (docs/dingtalk/custom-robot.md), answers as DingTalk does
 * (HTTP 200, `errcode`), and records when each report marker (`BENCH<phase><seq>X` in the text) reached which
 * robot, and when each robot got each message (for the sliding-minute check). `/_bench/*` is its control API.
 */

interface Robot {
  secret: string;
  limit: number;
  /** Arrival time (epoch ms) of every accepted message, in order. */
  sends: number[];
}

interface Arrival {
  token: string;
  phase: string;
  seq: number;
  at: number;
  count: number;
}

const MARKER = /BENCH([a-z])(\d+)X/g;
const WINDOW_MS = 60_000;

const robots = new Map<string, Robot>();
const arrivals = new Map<string, Arrival>();
const firstArrivals = new Map<string, number>();
const counters = { messages: 0, badSignatures: 0, invalidTimestamps: 0, unknownTokens: 0, badBodies: 0 };

const now = () => performance.timeOrigin + performance.now();

function reset(): void {
  robots.clear();
  arrivals.clear();
  firstArrivals.clear();
  for (const key of Object.keys(counters) as (keyof typeof counters)[]) counters[key] = 0;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function messageText(body: unknown): string | null {
  const message = body as { msgtype?: string; markdown?: { text?: unknown }; text?: { content?: unknown } };
  if (message.msgtype === 'markdown' && typeof message.markdown?.text === 'string')
    return message.markdown.text;
  if (message.msgtype === 'text' && typeof message.text?.content === 'string') return message.text.content;
  return null;
}

function robotSend(url: URL, raw: string, response: ServerResponse): void {
  const at = now();
  const token = url.searchParams.get('access_token') ?? '';
  const robot = robots.get(token);
  if (!robot) {
    counters.unknownTokens++;
    return send(response, 200, { errcode: 300005, errmsg: 'token is not exist' });
  }
  const verdict = verifySignature(
    robot.secret,
    url.searchParams.get('timestamp') ?? undefined,
    url.searchParams.get('sign') ?? undefined,
    Date.now(),
  );
  if (verdict !== 'valid') {
    if (verdict === 'expired') counters.invalidTimestamps++;
    else counters.badSignatures++;
    const errmsg = verdict === 'expired' ? 'invalid timestamp' : 'sign not match';
    return send(response, 200, { errcode: 310000, errmsg });
  }
  let text: string | null;
  try {
    text = messageText(JSON.parse(raw));
  } catch {
    text = null;
  }
  if (text === null) {
    counters.badBodies++;
    return send(response, 200, { errcode: 400105, errmsg: 'unsupported msgtype or malformed body' });
  }
  counters.messages++;
  robot.sends.push(at);
  for (const [, phase, digits] of text.matchAll(MARKER)) {
    const key = `${token} ${phase}${digits}`;
    const seen = arrivals.get(key);
    if (seen) {
      seen.count++;
      continue;
    }
    arrivals.set(key, { token, phase, seq: Number(digits), at, count: 1 });
    firstArrivals.set(phase, (firstArrivals.get(phase) ?? 0) + 1);
  }
  send(response, 200, { errcode: 0, errmsg: 'ok' });
}

/** Per robot, the most messages in any 60 s window, and how many messages arrived when `limit` already had. */
function rateWindows() {
  let maxPerMinute = 0;
  let overLimitSends = 0;
  let robotsOverLimit = 0;
  for (const robot of robots.values()) {
    let start = 0;
    let over = 0;
    for (let i = 0; i < robot.sends.length; i++) {
      while (robot.sends[i] - robot.sends[start] >= WINDOW_MS) start++;
      const inWindow = i - start + 1;
      maxPerMinute = Math.max(maxPerMinute, inWindow);
      if (inWindow > robot.limit) over++;
    }
    overLimitSends += over;
    if (over > 0) robotsOverLimit++;
  }
  return { maxPerMinute, overLimitSends, robotsOverLimit };
}

function summary() {
  let duplicates = 0;
  for (const arrival of arrivals.values()) duplicates += arrival.count - 1;
  return { ...counters, duplicates, ...rateWindows(), robots: robots.size };
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const raw = await readBody(request);
  if (request.method === 'POST' && url.pathname === '/robot/send') return robotSend(url, raw, response);
  if (request.method === 'POST' && url.pathname === '/_bench/reset') {
    reset();
    return send(response, 200, { ok: true });
  }
  if (request.method === 'POST' && url.pathname === '/_bench/robots') {
    const list = JSON.parse(raw) as { token: string; secret: string; limit: number }[];
    for (const { token, secret, limit } of list) robots.set(token, { secret, limit, sends: [] });
    return send(response, 200, { robots: robots.size });
  }
  if (request.method === 'GET' && url.pathname === '/_bench/count') {
    return send(response, 200, { arrived: firstArrivals.get(url.searchParams.get('phase') ?? '') ?? 0 });
  }
  if (request.method === 'GET' && url.pathname === '/_bench/arrivals') {
    const phase = url.searchParams.get('phase');
    const list = [...arrivals.values()]
      .filter((arrival) => arrival.phase === phase)
      .map(({ token, seq, at }) => [token, seq, at]);
    return send(response, 200, { arrivals: list });
  }
  if (request.method === 'GET' && url.pathname === '/_bench/summary') return send(response, 200, summary());
  send(response, 404, { errcode: 404, errmsg: 'not found' });
}

const server = createServer((request, response) => {
  handle(request, response).catch((error: Error) =>
    send(response, 500, { errcode: -1, errmsg: error.message }),
  );
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') process.stdout.write(`LISTENING ${address.port}\n`);
});
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
