import { DataSource, Logger } from 'typeorm';
import { afterAll, beforeAll } from 'vitest';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { MIGRATIONS } from '../../src/database/migrations';
import { runMigrations } from '../../src/database/run-migrations';
import { createTestDatabase, TestDatabase } from './test-database';

/** A migration spec's database and its one-connection data source, which knows every migration. */
export interface DatabaseBeforeMigration {
  readonly database: TestDatabase;
  readonly source: DataSource;
}

/** The names of the migrations applied to `source`'s database, in the order they were applied. */
export async function appliedMigrations(source: DataSource): Promise<string[]> {
  const rows = await source.query<Array<{ name: string }>>(`SELECT name FROM schema_migrations ORDER BY id`);
  return rows.map((row) => row.name);
}

/**
 * For the specs of a migration: a database of the file's own, at the schema just before `migration` (the embedded
 * test database comes migrated, one on TEST_DATABASE_URL empty: brought there either way), dropped after the file.
 * `logger` receives what the migrations log.
 */
export function useDatabaseBefore(migration: { name: string }, logger?: Logger): DatabaseBeforeMigration {
  let database: TestDatabase | undefined;
  let source: DataSource | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    source = await new DataSource({
      ...dataSourceOptions({ ...database.connection, poolSize: 1 }),
      migrations: MIGRATIONS,
      ...(logger ? { logger } : {}),
    }).initialize();
    await runMigrations(source);
    while ((await appliedMigrations(source)).includes(migration.name)) await source.undoLastMigration();
  });
  afterAll(async () => {
    await source?.destroy();
    await database?.drop();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useDatabaseBefore: used outside a test or hook of the file');
    return value;
  };
  return {
    get database() {
      return ready(database);
    },
    get source() {
      return ready(source);
    },
  };
}
