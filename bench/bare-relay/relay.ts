import { createHmac, timingSafeEqual } from 'node:crypto';
import { Agent, createServer, IncomingMessage, request as httpRequest, ServerResponse } from 'node:http';
import { Pool, PoolClient } from 'pg';
import { expectedSignature } from '../../simulator/robots/robot-signature';

/**
 * The delivery benchmark's baseline: the same durable work as the service with no framework (`node:http` + `pg`).
 * POST /api/v1/menu-reports checks the bearer token (HS256), writes the report and one notification per enabled bot
 * of the store in one transaction and answers 201; a dispatcher claims due rows in batches with
 * `FOR UPDATE SKIP LOCKED`, POSTs each one signed to the bot's webhook (deadline 10 s), and marks the sent ones in
 * batches. Per bot it sends oldest first, one at a time, at most `rate_limit` a minute (+2 s margin) — held in memory,
 * which is enough for one instance (the service also keeps that across instances, and seals secrets at rest).
 * Env: PORT, DATABASE_URL (a database of its own: it creates its tables), JWT_SECRET.
 */

const MAX_IN_FLIGHT = 64;
const CLAIM_BATCH = 100;
const HIGH_WATER = 512;
const SEND_TIMEOUT_MS = 10_000;
const RETRY_AFTER_MS = 5_000;
const WINDOW_MS = 62_000;
const POLL_MS = 1_000;
const MAX_BODY = 1024 * 1024;

const databaseUrl = process.env.DATABASE_URL;
const jwtSecret = process.env.JWT_SECRET;
if (!databaseUrl || !jwtSecret) throw new Error('DATABASE_URL and JWT_SECRET are required');

const pool = new Pool({ connectionString: databaseUrl, max: 10, connectionTimeoutMillis: 10_000 });
const agent = new Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });

const SCHEMA = `
CREATE TABLE IF NOT EXISTS relay_bots (
  id serial PRIMARY KEY, store_id integer NOT NULL, webhook text NOT NULL, secret text,
  msg_type text NOT NULL DEFAULT 'markdown', rate_limit integer NOT NULL DEFAULT 20, enabled boolean NOT NULL DEFAULT true);
CREATE INDEX IF NOT EXISTS relay_bots_store ON relay_bots (store_id) WHERE enabled;
CREATE TABLE IF NOT EXISTS relay_reports (
  id bigserial PRIMARY KEY, store_id integer NOT NULL, dish_name text, quantity numeric NOT NULL, unit text NOT NULL,
  remark text, reported_by text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS relay_notifications (
  id bigserial PRIMARY KEY, report_id bigint NOT NULL REFERENCES relay_reports, bot_id integer NOT NULL REFERENCES relay_bots,
  status text NOT NULL DEFAULT 'pending', due_at timestamptz NOT NULL DEFAULT now(), lease_until timestamptz,
  attempts integer NOT NULL DEFAULT 0, sent_at timestamptz, last_error text);
CREATE INDEX IF NOT EXISTS relay_notifications_due ON relay_notifications (due_at, id) WHERE status = 'pending';
-- One instance: whatever it was sending when it stopped goes back to the queue.
UPDATE relay_notifications SET status = 'pending', lease_until = NULL WHERE status = 'sending';`;

// ---- HTTP ----------------------------------------------------------------------------------------------------------

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new HttpError(413, 'body too large');
    chunks.push(chunk);
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new HttpError(400, 'body must be a JSON object');
}

interface Claims {
  sub: string;
  role: 'admin' | 'store_admin';
  store_ids?: number[];
}

/** HS256 bearer token, as the service issues them. */
function authenticate(request: IncomingMessage): Claims {
  const [scheme, token] = (request.headers.authorization ?? '').split(' ');
  const parts = scheme === 'Bearer' && token ? token.split('.') : [];
  if (parts.length !== 3) throw new HttpError(401, 'missing bearer token');
  const expected = createHmac('sha256', jwtSecret!).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new HttpError(401, 'bad token');
  const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Claims & { exp?: number };
  if (claims.exp !== undefined && claims.exp * 1000 < Date.now()) throw new HttpError(401, 'token expired');
  return claims;
}

function storeOf(body: Record<string, unknown>, claims: Claims): number {
  const storeId = body.store_id;
  if (!Number.isSafeInteger(storeId) || (storeId as number) < 1)
    throw new HttpError(400, 'store_id must be an id');
  if (claims.role !== 'admin' && !claims.store_ids?.includes(storeId as number)) {
    throw new HttpError(403, 'not your store');
  }
  return storeId as number;
}

function text(body: Record<string, unknown>, field: string, min: number, max: number, optional = false) {
  const value = body[field];
  if ((value === undefined || value === null) && optional) return null;
  if (typeof value !== 'string' || value.length < min || value.length > max) {
    throw new HttpError(400, `${field} must be ${min}–${max} characters`);
  }
  return value;
}

async function inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function createReport(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const claims = authenticate(request);
  const body = await readJson(request);
  const storeId = storeOf(body, claims);
  const dishName = text(body, 'dish_name', 1, 100);
  const unit = text(body, 'unit', 1, 20);
  const remark = text(body, 'remark', 0, 500, true);
  const quantity = body.quantity;
  if (typeof quantity !== 'number' || !(quantity > 0) || quantity > 999_999_999) {
    throw new HttpError(400, 'quantity must be a number greater than 0');
  }
  const data = await inTransaction(async (client) => {
    const report = await client.query<{ id: string; created_at: Date }>(
      `INSERT INTO relay_reports (store_id, dish_name, quantity, unit, remark, reported_by)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, created_at`,
      [storeId, dishName, quantity, unit, remark, claims.sub],
    );
    const notifications = await client.query<{ id: string; bot_id: number }>(
      `INSERT INTO relay_notifications (report_id, bot_id)
       SELECT $1, id FROM relay_bots WHERE store_id = $2 AND enabled ORDER BY id RETURNING id, bot_id`,
      [report.rows[0].id, storeId],
    );
    return {
      id: Number(report.rows[0].id),
      store_id: storeId,
      dish_name: dishName,
      quantity,
      unit,
      remark,
      created_at: report.rows[0].created_at.toISOString(),
      notifications: notifications.rows.map((row) => ({
        id: Number(row.id),
        bot_id: row.bot_id,
        status: 'pending',
      })),
    };
  });
  reply(response, 201, { code: 0, msg: 'success', data });
  wake();
}

/** Bench set-up only: many bots in one statement. */
async function createBots(request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (authenticate(request).role !== 'admin') throw new HttpError(403, 'admin only');
  const body = await readJson(request);
  const bots = body.bots as {
    store_id: number;
    webhook: string;
    secret: string;
    rate_limit: number;
    msg_type: string;
  }[];
  if (!Array.isArray(bots)) throw new HttpError(400, 'bots must be a list');
  await pool.query(
    `INSERT INTO relay_bots (store_id, webhook, secret, rate_limit, msg_type)
     SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::int[], $5::text[])`,
    [
      bots.map((bot) => bot.store_id),
      bots.map((bot) => bot.webhook),
      bots.map((bot) => bot.secret),
      bots.map((bot) => bot.rate_limit),
      bots.map((bot) => bot.msg_type),
    ],
  );
  reply(response, 201, { code: 0, msg: 'success', data: { created: bots.length } });
}

const server = createServer((request, response) => {
  const route = `${request.method} ${request.url?.split('?')[0]}`;
  const handler =
    route === 'POST /api/v1/menu-reports'
      ? createReport
      : route === 'POST /api/v1/bench/bots'
        ? createBots
        : route === 'GET /health'
          ? () => Promise.resolve(reply(response, 200, { status: 'ok' }))
          : () => Promise.reject(new HttpError(404, 'not found'));
  handler(request, response).catch((error: Error) => {
    const status = error instanceof HttpError ? error.status : 500;
    if (status === 500) process.stderr.write(`relay: ${error.stack ?? error.message}\n`);
    if (!response.headersSent) reply(response, status, { code: status, msg: error.message });
  });
});
server.keepAliveTimeout = 65_000;

// ---- Dispatcher ----------------------------------------------------------------------------------------------------

interface Claimed {
  id: string;
  bot_id: number;
  webhook: string;
  secret: string | null;
  msg_type: string;
  rate_limit: number;
  store_id: number;
  dish_name: string | null;
  quantity: string;
  unit: string;
  remark: string | null;
  reported_by: string;
  created_at: Date;
  report_id: string;
}

const botQueues = new Map<number, Claimed[]>();
const readyBots = new Set<number>();
const busyBots = new Set<number>();
const recentSends = new Map<number, number[]>();
let held = 0;
let inFlight = 0;
let stopping = false;
let wakeRequested = false;
let sleeper: (() => void) | null = null;
const sent: string[] = [];
let marking = false;

function wake(): void {
  wakeRequested = true;
  sleeper?.();
}

async function claim(limit: number): Promise<Claimed[]> {
  const { rows } = await pool.query<Claimed>(
    `WITH due AS (
       SELECT id FROM relay_notifications WHERE status = 'pending' AND due_at <= now()
       ORDER BY due_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
     UPDATE relay_notifications n SET status = 'sending', lease_until = now() + interval '5 minutes',
       attempts = n.attempts + 1
     FROM due, relay_reports r, relay_bots b
     WHERE n.id = due.id AND r.id = n.report_id AND b.id = n.bot_id
     RETURNING n.id, n.bot_id, b.webhook, b.secret, b.msg_type, b.rate_limit, r.store_id, r.dish_name, r.quantity,
       r.unit, r.remark, r.reported_by, r.created_at, r.id AS report_id`,
    [limit],
  );
  return rows.sort((a, b) => Number(a.id) - Number(b.id));
}

async function claimLoop(): Promise<void> {
  while (!stopping) {
    wakeRequested = false;
    let claimed = 0;
    if (held < HIGH_WATER) {
      try {
        const rows = await claim(Math.min(CLAIM_BATCH, HIGH_WATER - held));
        claimed = rows.length;
        for (const row of rows) {
          const queue = botQueues.get(row.bot_id) ?? [];
          queue.push(row);
          botQueues.set(row.bot_id, queue);
          if (!busyBots.has(row.bot_id)) readyBots.add(row.bot_id);
        }
        held += claimed;
        pump();
      } catch (error) {
        process.stderr.write(`relay: claim failed: ${(error as Error).message}\n`);
      }
    }
    if ((claimed > 0 && held < HIGH_WATER) || wakeRequested) continue;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, POLL_MS);
      sleeper = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    sleeper = null;
  }
}

function pump(): void {
  for (const botId of readyBots) {
    if (inFlight >= MAX_IN_FLIGHT) return;
    readyBots.delete(botId);
    const queue = botQueues.get(botId);
    const row = queue?.shift();
    if (!row) continue;
    const now = Date.now();
    const window = (recentSends.get(botId) ?? []).filter((at) => now - at < WINDOW_MS);
    recentSends.set(botId, window);
    if (window.length >= row.rate_limit) {
      // The bot's minute is full: give its rows back, due when the oldest send leaves the window.
      const rows = [row, ...(queue ?? [])];
      botQueues.delete(botId);
      held -= rows.length;
      void putBack(rows, new Date(window[0] + WINDOW_MS), 'rate window full');
      continue;
    }
    window.push(now);
    busyBots.add(botId);
    inFlight++;
    void deliver(row).finally(() => {
      inFlight--;
      held--;
      busyBots.delete(botId);
      if (botQueues.get(botId)?.length) readyBots.add(botId);
      else botQueues.delete(botId);
      pump();
      if (held < HIGH_WATER / 2) wake();
    });
  }
}

function messageBody(row: Claimed): string {
  const dish = row.dish_name ?? '';
  const quantity = `${Number(row.quantity)} ${row.unit}`;
  const when = row.created_at.toISOString();
  if (row.msg_type === 'text') {
    const content = [`【报菜通知】门店 ${row.store_id}`, `菜品：${dish}`, `数量：${quantity}`]
      .concat(row.remark ? [`备注：${row.remark}`] : [])
      .concat([`报菜人：${row.reported_by}`, `时间：${when}`, `报菜编号：#${row.report_id}`]);
    return JSON.stringify({ msgtype: 'text', text: { content: content.join('\n') } });
  }
  const lines = [`#### 报菜通知 · 门店 ${row.store_id}`, `- **菜品**：${dish}`, `- **数量**：${quantity}`]
    .concat(row.remark ? [`- **备注**：${row.remark}`] : [])
    .concat([`- **报菜人**：${row.reported_by}`, `- **时间**：${when}`, '', `> 报菜编号 #${row.report_id}`]);
  return JSON.stringify({
    msgtype: 'markdown',
    markdown: { title: `报菜通知：${dish} ${quantity}`, text: lines.join('\n') },
    at: { atMobiles: [], atUserIds: [], isAtAll: false },
  });
}

function post(url: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const call = httpRequest(
      url,
      {
        method: 'POST',
        agent,
        timeout: SEND_TIMEOUT_MS,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(body),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    call.on('timeout', () => call.destroy(new Error('timeout')));
    call.on('error', reject);
    call.end(body);
  });
}

async function deliver(row: Claimed): Promise<void> {
  const url = new URL(row.webhook);
  if (row.secret) {
    // Signing as docs/dingtalk/custom-robot.md describes it; URLSearchParams form-encodes the base64 once.
    const timestamp = String(Date.now());
    url.searchParams.set('timestamp', timestamp);
    url.searchParams.set('sign', expectedSignature(row.secret, timestamp));
  }
  let outcome: 'sent' | 'retry' | 'failed';
  let detail: string;
  try {
    const answer = await post(url.href, messageBody(row));
    const errcode =
      answer.status === 200 ? (JSON.parse(answer.text) as { errcode?: number }).errcode : undefined;
    detail = `HTTP ${answer.status} errcode ${errcode}`;
    outcome = errcode === 0 ? 'sent' : answer.status >= 500 || errcode === -1 ? 'retry' : 'failed';
  } catch (error) {
    detail = (error as Error).message;
    outcome = 'retry';
  }
  if (outcome === 'sent') {
    sent.push(row.id);
    void markSent();
  } else if (outcome === 'retry') {
    await putBack([row], new Date(Date.now() + RETRY_AFTER_MS), detail);
  } else {
    await pool
      .query(
        `UPDATE relay_notifications SET status = 'failed', lease_until = NULL, last_error = $2 WHERE id = $1`,
        [row.id, detail],
      )
      .catch((error: Error) => process.stderr.write(`relay: ${error.message}\n`));
  }
}

async function markSent(): Promise<void> {
  if (marking) return;
  marking = true;
  try {
    while (sent.length > 0) {
      const ids = sent.splice(0, sent.length);
      const result = await pool
        .query(
          `UPDATE relay_notifications SET status = 'sent', sent_at = now(), lease_until = NULL WHERE id = ANY($1::bigint[])`,
          [ids],
        )
        .catch((error: Error) => {
          process.stderr.write(`relay: marking sent failed: ${error.message}\n`);
          sent.push(...ids);
          return null;
        });
      if (result === null) break; // the next finished send tries again
    }
  } finally {
    marking = false;
  }
}

async function putBack(rows: Claimed[], dueAt: Date, reason: string): Promise<void> {
  await pool
    .query(
      `UPDATE relay_notifications SET status = 'pending', lease_until = NULL, due_at = $2, last_error = $3
       WHERE id = ANY($1::bigint[])`,
      [rows.map((row) => row.id), dueAt, reason],
    )
    .catch((error: Error) => process.stderr.write(`relay: ${error.message}\n`));
}

async function main(): Promise<void> {
  await pool.query(SCHEMA);
  const loop = claimLoop();
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    const address = server.address();
    if (address && typeof address === 'object') process.stdout.write(`LISTENING ${address.port}\n`);
  });
  process.once('SIGTERM', () => {
    stopping = true;
    wake();
    server.close();
    server.closeAllConnections();
    void loop
      .then(async () => {
        const deadline = Date.now() + 10_000;
        while ((inFlight > 0 || marking) && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 50));
        await markSent();
        await pool.end();
      })
      .finally(() => process.exit(0));
  });
}

main().catch((error: Error) => {
  process.stderr.write(`relay: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
