import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DatabaseConnection } from '../../src/database/data-source-options';
import { startEmbeddedDatabase } from '../../src/database/embedded/embedded-database';
import { EMBEDDED_TEMPLATE_DIR, TEST_TMP_ROOT } from './paths';

export interface TestDatabase {
  connection: DatabaseConnection;
  /** The data directory of an embedded database (also where its lock lives); undefined on a server. */
  dataDir?: string;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file. Embedded by default (a copy of the template made by
 * global-setup.ts); with TEST_DATABASE_URL, a new database on that server, created and dropped here.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  return serverUrl ? createServerDatabase(serverUrl) : createEmbeddedDatabase();
}

async function createEmbeddedDatabase(): Promise<TestDatabase> {
  mkdirSync(TEST_TMP_ROOT, { recursive: true });
  const dataDir = mkdtempSync(join(TEST_TMP_ROOT, 'data-'));
  cpSync(EMBEDDED_TEMPLATE_DIR, join(dataDir, 'db'), { recursive: true });
  const embedded = await startEmbeddedDatabase(join(dataDir, 'db'), dataDir);
  return {
    connection: { url: embedded.url, poolSize: 1 },
    dataDir,
    drop: async () => {
      await embedded.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Refuses any server database whose name does not contain "test": the suite creates and drops databases, and
 * must never be pointed at one that holds real data.
 */
export function assertTestDatabaseName(name: string): void {
  if (!name.toLowerCase().includes('test')) {
    throw new Error(`Refusing to use database "${name}" for tests: its name must contain "test"`);
  }
}

async function createServerDatabase(serverUrl: string): Promise<TestDatabase> {
  const base = new URL(serverUrl);
  assertTestDatabaseName(decodeURIComponent(base.pathname.slice(1)));
  const name = `test_notify_${process.pid}_${randomBytes(4).toString('hex')}`;
  assertTestDatabaseName(name);
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    connection: { url: url.href, poolSize: 5 },
    drop: () =>
      withAdminClient(serverUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      ).then(() => undefined),
  };
}

async function withAdminClient<T>(url: string, action: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await action(client);
  } finally {
    await client.end();
  }
}
