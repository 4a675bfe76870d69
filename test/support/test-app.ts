import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory';
import { TokenClaims } from '../../src/auth/auth-user';
import { issueToken } from '../../src/auth/token-issuer';
import { Clock } from '../../src/common/clock';
import { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/load-config';
import { createLogger } from '../../src/logging/create-logger';
import { LogCapture } from './log-capture';
import { TEST_TMP_ROOT } from './paths';
import { createTestDatabase, TestDatabase } from './test-database';

/** Fixed test keys: tests sign their own tokens with the first. */
export const TEST_JWT_SECRET = 'test-secret-test-secret-test-secret-0123456789';
export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

export interface TestApp {
  app: NestFastifyApplication;
  /** Base URL of the listening server, e.g. http://127.0.0.1:43121 */
  url: string;
  config: AppConfig;
  logs: LogCapture;
  database: TestDatabase;
  /** A token signed with the test secret; an admin token unless `claims` say otherwise. */
  token(claims?: Partial<TokenClaims>, expiresInSeconds?: number): string;
  /** fetch() against the app with a JSON body and (unless `token: null`) an admin bearer token. */
  request(method: string, path: string, options?: RequestOptions): Promise<TestResponse>;
  /** Closes the application, and drops its database unless the test passed one in. */
  close(): Promise<void>;
}

export interface RequestOptions {
  body?: unknown;
  /** Raw body string, sent as is (for malformed JSON). */
  rawBody?: string;
  token?: string | null;
  headers?: Record<string, string>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever JSON came back
  body: any;
  text: string;
}

export interface TestAppOptions {
  /** Configuration variables to set, e.g. a simulator's `env` (DINGTALK_* URLs). */
  env?: Record<string, string>;
  /** A controllable clock shared with the test (and with a simulator, when it is given the same one). */
  clock?: Clock;
  /** Reuse this database instead of a fresh one (e.g. to restart the application on the same data). */
  database?: TestDatabase;
}

/** The configuration of an application under test: the test keys, `database`, and `env` on top. */
export function testConfig(database: TestDatabase, env: Record<string, string> = {}): AppConfig {
  mkdirSync(TEST_TMP_ROOT, { recursive: true });
  return loadConfig({
    DATA_DIR: database.dataDir ?? mkdtempSync(join(TEST_TMP_ROOT, 'data-')),
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    DATA_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    LOG_LEVEL: 'debug',
    ...(database.dataDir ? {} : { DATABASE_URL: database.connection.url }),
    ...env,
  });
}

/**
 * Starts the real application (same factory as main.ts) on a fresh test database, listening on a random port
 * of 127.0.0.1.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const config = testConfig(database, options.env);
  const logs = new LogCapture();
  const logger = createLogger({ level: config.logLevel, destination: logs });
  let app: NestFastifyApplication;
  try {
    app = await createApp({ config, database: database.connection, logger, clock: options.clock });
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    if (!options.database) await database.drop();
    throw error;
  }
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;

  const token = (claims: Partial<TokenClaims> = {}, expiresInSeconds?: number) =>
    issueToken(TEST_JWT_SECRET, { sub: 'test-admin', role: 'admin', ...claims }, expiresInSeconds);
  const adminToken = token();

  return {
    app,
    url,
    config,
    logs,
    database,
    token,
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      const authToken = options.token === undefined ? adminToken : options.token;
      if (authToken !== null) headers.authorization = `Bearer ${authToken}`;
      let body: string | undefined;
      if (options.rawBody !== undefined) body = options.rawBody;
      else if (options.body !== undefined) body = JSON.stringify(options.body);
      if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
      const response = await fetch(`${url}${path}`, {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(20_000),
      });
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // Not JSON (e.g. Swagger UI's HTML): `text` has it.
      }
      return { status: response.status, headers: response.headers, body: parsed, text };
    },
    async close() {
      try {
        await app.close();
      } finally {
        // A database passed in belongs to the test, which drops it when it is done with it.
        if (!options.database) await database.drop();
      }
    },
  };
}

/**
 * Starts the application again on a database an earlier one used (a restart). A start that fails is retried for a
 * few seconds, as a supervisor would restart the process.
 */
export async function restartTestApp(options: TestAppOptions & { database: TestDatabase }): Promise<TestApp> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startTestApp(options);
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
