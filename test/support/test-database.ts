import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { DatabaseConnection } from '../../src/database/data-source-options';
import { TEST_TMP_ROOT } from './paths';
import { EMBEDDED_TEMPLATE_DATABASE, withDatabase } from './suite-server';

export interface TestDatabase {
  connection: DatabaseConnection;
  /**
   * A DATA_DIR for the application on the embedded database (its configuration is then the embedded one, as a
   * user's `npm start`); undefined on a server given by TEST_DATABASE_URL.
   */
  dataDir?: string;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file. Embedded by default: a copy of the migrated template on the run's
 * embedded PostgreSQL server (global-setup.ts); with TEST_DATABASE_URL, a new database on that server, migrated by
 * the application at its start. Created and dropped here.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  return serverUrl ? createServerDatabase(serverUrl) : createEmbeddedDatabase();
}

async function createEmbeddedDatabase(): Promise<TestDatabase> {
  const serverUrl = inject('embeddedServerUrl');
  if (!serverUrl) throw new Error('The embedded test server is not running (test/support/global-setup.ts)');
  mkdirSync(TEST_TMP_ROOT, { recursive: true });
  const dataDir = mkdtempSync(join(TEST_TMP_ROOT, 'data-'));
  const database = await createDatabase(serverUrl, EMBEDDED_TEMPLATE_DATABASE);
  return {
    connection: database.connection,
    dataDir,
    drop: async () => {
      await database.drop();
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
  return createDatabase(serverUrl);
}

/** A new database on the server of `serverUrl` (a copy of `template` when given), dropped by `drop`. */
async function createDatabase(serverUrl: string, template?: string): Promise<TestDatabase> {
  const name = `test_notify_${process.pid}_${randomBytes(4).toString('hex')}`;
  assertTestDatabaseName(name);
  await withDatabase(serverUrl, (client) =>
    client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`),
  );
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    connection: { url: url.href, poolSize: 5 },
    drop: () =>
      withDatabase(serverUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      ).then(() => undefined),
  };
}
