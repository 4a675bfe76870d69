import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import type { TestProject } from 'vitest/node';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { lockDataDir } from '../../src/database/embedded/data-dir-lock';
import { startEmbeddedDatabase } from '../../src/database/embedded/embedded-database';
import { runMigrations } from '../../src/database/run-migrations';
import { TEST_TMP_ROOT } from './paths';
import { EMBEDDED_TEMPLATE_DATABASE, withDatabase } from './suite-server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The embedded server of the run (postgres:// URL of its `postgres` database); unset with TEST_DATABASE_URL. */
    embeddedServerUrl: string | undefined;
  }
}

/**
 * Once per test run: the embedded PostgreSQL server (the service's own embedded-database.ts, on a fresh DATA_DIR)
 * and on it a template database with every migration applied. Each test file gets a database of its own copied
 * from the template (test-database.ts): CREATE DATABASE … TEMPLATE takes tens of milliseconds, where a server per
 * file would cost a start and its ten processes per file on the suite's two cores. With TEST_DATABASE_URL the
 * suite runs on that server instead and nothing starts here.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  project.provide('embeddedServerUrl', undefined);
  if (process.env.TEST_DATABASE_URL) return undefined;
  // Both projects of `npm test` (unit, e2e) run this setup in the one vitest process: they share one server.
  const holder = globalThis as { [RUN_SERVER]?: Promise<RunServer> };
  const server = await (holder[RUN_SERVER] ??= startRunServer());
  server.users += 1;
  project.provide('embeddedServerUrl', server.url);
  return async () => {
    server.users -= 1;
    if (server.users > 0) return;
    delete holder[RUN_SERVER];
    await server.stop();
  };
}

const RUN_SERVER = Symbol.for('store-dingtalk-notify.test-run-server');

interface RunServer {
  url: string;
  /** Projects whose teardown has not run yet. */
  users: number;
  stop(): Promise<void>;
}

async function startRunServer(): Promise<RunServer> {
  removeServersOfEndedRuns();
  const dataDir = mkdtempSync(join(TEST_TMP_ROOT, 'server-'));
  const server = await startEmbeddedDatabase(join(dataDir, 'db'), dataDir, {
    durable: false,
    // A pool of five per test file, a file per core at once, and the specs' own connections: a server's default.
    maxConnections: 100,
  });
  try {
    await withDatabase(server.url, (client: Client) =>
      client.query(`CREATE DATABASE "${EMBEDDED_TEMPLATE_DATABASE}"`),
    );
    const templateUrl = new URL(server.url);
    templateUrl.pathname = `/${EMBEDDED_TEMPLATE_DATABASE}`;
    const dataSource = await new DataSource(
      dataSourceOptions({ url: templateUrl.href, poolSize: 1 }),
    ).initialize();
    try {
      await runMigrations(dataSource);
    } finally {
      await dataSource.destroy();
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    url: server.url,
    users: 0,
    async stop() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The DATA_DIRs of runs that ended without their teardown (a killed run; its server stopped with it, see the
 * watchdog in src/database/embedded/server-process.ts). One whose lock can be taken has no live owner; another
 * run's is left alone.
 */
function removeServersOfEndedRuns(): void {
  mkdirSync(TEST_TMP_ROOT, { recursive: true });
  for (const name of readdirSync(TEST_TMP_ROOT).filter((entry) => entry.startsWith('server-'))) {
    const dir = join(TEST_TMP_ROOT, name);
    try {
      lockDataDir(dir).release();
    } catch {
      continue; // a run in progress
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
