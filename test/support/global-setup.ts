import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { startEmbeddedDatabase } from '../../src/database/embedded/embedded-database';
import { runMigrations } from '../../src/database/run-migrations';
import { EMBEDDED_TEMPLATE_DIR, TEMPLATE_ROOT } from './paths';

/**
 * Once per test run: an embedded database directory with every migration applied. Each test file copies it
 * instead of paying for PGlite's initdb (about 5 s) and the migrations. Skipped when the suite runs against a
 * PostgreSQL server (TEST_DATABASE_URL).
 */
export default async function setup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return;
  rmSync(TEMPLATE_ROOT, { recursive: true, force: true });
  const embedded = await startEmbeddedDatabase(EMBEDDED_TEMPLATE_DIR, join(TEMPLATE_ROOT, 'lock'));
  try {
    const dataSource = await new DataSource(
      dataSourceOptions({ url: embedded.url, poolSize: 1 }),
    ).initialize();
    try {
      await runMigrations(dataSource);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await embedded.stop();
  }
}
