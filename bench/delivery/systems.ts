import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { Pool } from 'undici';
import { issueToken } from '../../src/auth/token-issuer';
import { freePort } from '../../test/support/service-process';
import { Child, profileArgs, startChild, startListeningScript } from '../support/processes';
import { startCommand } from './start-command';

/** The service's cluster-wide DingTalk call budget in the benchmark (printed with the results). */
export const BENCH_CALL_BUDGET_PER_SECOND = 100_000;

/** One robot at the fake DingTalk end, and the store whose bot posts to it. */
export interface BenchBot {
  storeId: number;
  token: string;
  secret: string;
  msgType: 'markdown' | 'text';
}

/** The relay or the service, running, with an empty database and no bots yet. */
export interface SystemUnderTest {
  name: string;
  url: string;
  child: Child;
  /** Its database on the PostgreSQL server (none for the embedded one). */
  databaseName?: string;
  /** Bearer token for its API. */
  token: string;
  /** Seconds from its spawn until it served (the relay: printed LISTENING; the service: /health answered 200). */
  startS: number;
  createBots(bots: BenchBot[], webhookBase: string, limit: number): Promise<void>;
  /** Stops the process and drops its database (or deletes its data directory). */
  close(): Promise<void>;
}

const PREFIX = /^bench_(relay|notify)_(\d+)_[0-9a-f]+$/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function withServer<T>(pgUrl: string, action: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: pgUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await action(client);
  } finally {
    await client.end();
  }
}

/** A fresh database on the server, and how to drop it. Its name carries our pid, for the clean-up below. */
async function freshDatabase(
  pgUrl: string,
  kind: 'relay' | 'notify',
): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `bench_${kind}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withServer(pgUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.href,
    drop: () =>
      withServer(pgUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}

/** A database's activity so far: committed transactions and rows read (sequential scans + index fetches). */
export async function databaseActivity(pgUrl: string, name: string) {
  const { rows } = await withServer(pgUrl, (client) =>
    client.query<{ xacts: string; rows: string }>(
      `SELECT xact_commit + xact_rollback AS xacts, tup_returned + tup_fetched AS rows
       FROM pg_stat_database WHERE datname = $1`,
      [name],
    ),
  );
  return { transactions: Number(rows[0]?.xacts ?? 0), rowsRead: Number(rows[0]?.rows ?? 0) };
}

/** Databases and data directories left by a benchmark process that no longer runs (killed before its clean-up). */
export async function removeLeftovers(pgUrl: string, tmpRoot: string): Promise<string[]> {
  const removed: string[] = [];
  await withServer(pgUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database`);
    for (const { datname } of rows) {
      const match = PREFIX.exec(datname);
      if (!match || alive(Number(match[2]))) continue;
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      removed.push(datname);
    }
  });
  if (existsSync(tmpRoot)) {
    for (const entry of readdirSync(tmpRoot)) {
      const match = /^data-(\d+)-/.exec(entry);
      if (!match || alive(Number(match[1]))) continue;
      rmSync(join(tmpRoot, entry), { recursive: true, force: true });
      removed.push(entry);
    }
  }
  return removed;
}

/** `npm run build`, and where the build put main (from package.json's start:prod script: start-command.ts). */
export async function buildService(rootDir: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    const build = spawn('npm', ['run', '-s', 'build'], { cwd: rootDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    build.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    build.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const timer = setTimeout(() => build.kill('SIGKILL'), 600_000);
    build.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`npm run build failed (${code}):\n${output}`));
    });
  });
  const { main } = startCommand(rootDir);
  const path = join(rootDir, main);
  if (!existsSync(path)) throw new Error(`the build did not produce ${main}`);
  return path;
}

/** Runs `work` over `items` with `concurrency` at a time. */
async function inParallel<T>(
  items: T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

async function postJson(pool: Pool, path: string, token: string, body: unknown): Promise<number> {
  const response = await pool.request({
    method: 'POST',
    path,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    headersTimeout: 60_000,
    bodyTimeout: 60_000,
  });
  const text = await response.body.text();
  if (response.statusCode !== 201)
    throw new Error(`POST ${path}: ${response.statusCode} ${text.slice(0, 500)}`);
  return response.statusCode;
}

const jwtSecret = () => randomBytes(48).toString('base64url');
const adminToken = (secret: string) => issueToken(secret, { sub: 'bench', role: 'admin' });

export async function startRelay(script: string, rootDir: string, pgUrl: string): Promise<SystemUnderTest> {
  const database = await freshDatabase(pgUrl, 'relay');
  const secret = jwtSecret();
  try {
    const started = performance.now();
    const { child, url } = await startListeningScript(
      'relay',
      script,
      { DATABASE_URL: database.url, JWT_SECRET: secret },
      rootDir,
      profileArgs('relay'),
    );
    const token = adminToken(secret);
    return {
      name: 'relay',
      url,
      databaseName: database.name,
      child,
      token,
      startS: (performance.now() - started) / 1000,
      async createBots(bots, webhookBase, limit) {
        const pool = new Pool(url, { connections: 4 });
        try {
          for (let i = 0; i < bots.length; i += 1000) {
            const body = bots.slice(i, i + 1000).map((bot) => ({
              store_id: bot.storeId,
              webhook: `${webhookBase}?access_token=${bot.token}`,
              secret: bot.secret,
              rate_limit: limit,
              msg_type: bot.msgType,
            }));
            await postJson(pool, '/api/v1/bench/bots', token, { bots: body });
          }
        } finally {
          await pool.close();
        }
      },
      async close() {
        try {
          await child.stop();
        } finally {
          await database.drop();
        }
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

/** How often a start asks /health: the granularity of the start times measured. */
const HEALTH_POLL_MS = 20;

/**
 * Starts the service and waits until GET /health answers 200 (the database answers a query: migrations done, the
 * application listening). Returns the process and the seconds from its spawn to that answer.
 */
async function launchService(
  name: string,
  main: string,
  env: Record<string, string>,
  rootDir: string,
  url: string,
): Promise<{ child: Child; healthyS: number; nodeFlags: string[] }> {
  const started = performance.now();
  // As start:prod runs it: with its flags for Node (the heap's sizes are part of what is measured).
  const { nodeFlags } = startCommand(rootDir);
  const { child } = startChild(name, [...profileArgs(name), ...nodeFlags, main], env, rootDir);
  try {
    const deadline = Date.now() + 180_000;
    for (;;) {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5_000) }).catch(() => null);
      if (response?.status === 200)
        return { child, healthyS: (performance.now() - started) / 1000, nodeFlags };
      if (!child.running()) throw new Error(`the service exited:\n${child.output()}`);
      if (Date.now() > deadline)
        throw new Error(`the service did not answer /health in 180 s:\n${child.output()}`);
      await new Promise((resolve) => setTimeout(resolve, HEALTH_POLL_MS));
    }
  } catch (error) {
    await child.stop(0);
    throw error;
  }
}

/**
 * The built service as its own process, on a fresh database on the server or a fresh embedded data directory
 * (DATA_DIR/db: initdb runs in this first start). `restart()` stops it and starts it again on the same database and
 * DATA_DIR: a warm start, with nothing left to create or migrate.
 */
export async function startService(
  main: string,
  rootDir: string,
  kind: 'postgres' | 'embedded',
  pgUrl: string,
  tmpRoot: string,
  robotOrigin: string,
): Promise<SystemUnderTest & { restart(): Promise<number>; nodeFlags: string[] }> {
  mkdirSync(tmpRoot, { recursive: true });
  const dataDir = mkdtempSync(join(tmpRoot, `data-${process.pid}-`));
  const database = kind === 'postgres' ? await freshDatabase(pgUrl, 'notify') : null;
  const secret = jwtSecret();
  const port = await freePort();
  const cleanUp = async () => {
    try {
      await database?.drop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
  const env = {
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir,
    ...(database ? { DATABASE_URL: database.url } : {}),
    AUTH_JWT_SECRET: secret,
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    DINGTALK_WEBHOOK_ORIGINS: robotOrigin,
    DINGTALK_OAPI_URL: robotOrigin,
    DINGTALK_API_URL: robotOrigin,
    LOG_LEVEL: 'warn',
    // The fake robot is not DingTalk: its source-IP ceiling does not apply, and the service's default budget
    // (400 calls/s, kept below DingTalk's 500/s) would cap the run below what the relay, which has none, reaches.
    DINGTALK_CALL_BUDGET_PER_SECOND: String(BENCH_CALL_BUDGET_PER_SECOND),
  };
  const url = `http://127.0.0.1:${port}`;
  let launched: { child: Child; healthyS: number; nodeFlags: string[] };
  try {
    launched = await launchService(`service-${kind}`, main, env, rootDir, url);
  } catch (error) {
    await cleanUp();
    throw error;
  }
  const token = adminToken(secret);
  return {
    name: `service-${kind}`,
    url,
    databaseName: database?.name,
    get child() {
      return launched.child;
    },
    startS: launched.healthyS,
    /** start:prod's flags for Node, as its last start read them (launchService). */
    get nodeFlags() {
      return launched.nodeFlags;
    },
    token,
    async restart() {
      await launched.child.stop(30_000);
      launched = await launchService(`service-${kind}`, main, env, rootDir, url);
      return launched.healthyS;
    },
    async createBots(bots, webhookBase, limit) {
      const pool = new Pool(url, { connections: 50 });
      try {
        await inParallel(bots, 50, (bot) =>
          postJson(pool, '/api/v1/dingtalk-bots', token, {
            name: `bench ${bot.storeId}`,
            store_id: bot.storeId,
            bot_type: 'webhook',
            msg_type: bot.msgType,
            webhook: `${webhookBase}?access_token=${bot.token}`,
            secret: bot.secret,
            rate_limit_per_minute: limit,
          }).then(() => undefined),
        );
      } finally {
        await pool.close();
      }
    },
    async close() {
      try {
        await launched.child.stop(30_000);
      } finally {
        await cleanUp();
      }
    },
  };
}
