import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TestDatabase } from '../../test/support/test-database';
import { dataSourceOptions } from './data-source-options';
import { MIGRATIONS } from './migrations';
import { runMigrations } from './run-migrations';

/** A migration the service does not have: pending on the test's database until this spec applies it. */
class SpecPendingTable9999999999999 implements MigrationInterface {
  name = 'SpecPendingTable9999999999999';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE spec_pending (id integer)`);
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE spec_pending`);
  }
}

/** As TypeORM records them: the `name` field (else it would take the class's name, which a bundler may change). */
const NAMES = MIGRATIONS.map((migration) => new migration().name);

function connect(database: TestDatabase, migrations = MIGRATIONS): Promise<DataSource> {
  return new DataSource({
    ...dataSourceOptions({ ...database.connection, poolSize: 1 }),
    migrations,
  }).initialize();
}

async function applied(dataSource: DataSource): Promise<string[]> {
  const rows = await dataSource.query<Array<{ name: string }>>(
    `SELECT name FROM schema_migrations ORDER BY id`,
  );
  return rows.map((row) => row.name);
}

/** Every start runs runMigrations (database.module.ts): on a database that is up to date it must change nothing. */
describe('migrations at start-up (real database)', () => {
  let database: TestDatabase;
  const sources: DataSource[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    for (const source of sources) await source.destroy();
    await database?.drop();
  });

  it('every migration says its name, the same as its class', () => {
    expect(NAMES).toEqual(MIGRATIONS.map((migration) => migration.name));
  });

  it('a warm start applies nothing; a migration added since is applied once, at the next start only', async () => {
    const warm = await connect(database);
    sources.push(warm);
    // The embedded test database is a copy of a migrated template; one on TEST_DATABASE_URL's server is empty.
    const first = await runMigrations(warm);
    expect([[], NAMES]).toContainEqual(first);
    const before = await applied(warm);
    expect(before).toEqual(NAMES);

    expect(await runMigrations(warm)).toEqual([]);
    expect(await applied(warm)).toEqual(before);

    const upgraded = await connect(database, [...MIGRATIONS, SpecPendingTable9999999999999]);
    sources.push(upgraded);
    expect(await runMigrations(upgraded)).toEqual(['SpecPendingTable9999999999999']);
    expect(await runMigrations(upgraded)).toEqual([]);
    expect(await applied(upgraded)).toEqual([...before, 'SpecPendingTable9999999999999']);
    await upgraded.query(`SELECT count(*) FROM spec_pending`);
  });
});
