import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TestDatabase } from '../../test/support/test-database';
import { dataSourceOptions } from './data-source-options';
import { prepared } from './prepared-statements';

const DECLARED = prepared(
  'spec.count-schemas',
  `SELECT count(*)::integer AS n FROM pg_namespace WHERE nspname = $1`,
);
const STALE = prepared('spec.stale', `SELECT v FROM spec_stale WHERE $1::integer = 0`);
const UNDECLARED = `SELECT count(*)::integer AS n FROM pg_namespace WHERE nspname <> $1 AND false`;

interface PreparedRow {
  name: string;
  generic_plans: string;
}

/** A data source of one connection. */
function connect(database: TestDatabase): Promise<DataSource> {
  return new DataSource(dataSourceOptions({ ...database.connection, poolSize: 1 })).initialize();
}

/** The session's prepared statements, read on the connection that ran the statements (one transaction). */
async function runAndList(dataSource: DataSource, runs: number): Promise<PreparedRow[]> {
  return dataSource.transaction(async (manager) => {
    for (let i = 0; i < runs; i++) {
      const [declared] = await manager.query<Array<{ n: number }>>(DECLARED, ['no such schema']);
      expect(declared.n).toBe(0);
      await manager.query(UNDECLARED, ['public']);
    }
    return manager.query<PreparedRow[]>(
      `SELECT name, generic_plans::text FROM pg_prepared_statements ORDER BY name`,
    );
  });
}

describe('prepared statements (real database)', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('refuses a second, different statement under a name already declared', () => {
    expect(prepared('spec.count-schemas', DECLARED)).toBe(DECLARED);
    expect(() => prepared('spec.count-schemas', `${DECLARED} LIMIT 1`)).toThrow(/spec\.count-schemas/);
  });

  it('prepares a declared statement once per connection, and PostgreSQL plans it once; other statements not', async () => {
    const dataSource = await connect(database);
    try {
      const statements = await runAndList(dataSource, 8);
      expect(statements.map((row) => row.name)).toEqual(['spec.count-schemas']);
      // Five custom plans, then the generic plan is kept: planned once from then on.
      expect(Number(statements[0].generic_plans)).toBeGreaterThan(0);
    } finally {
      await dataSource.destroy();
    }
  });

  it('a new connection prepares its statements again', async () => {
    for (let connection = 0; connection < 2; connection++) {
      const dataSource = await connect(database);
      try {
        const statements = await runAndList(dataSource, 1);
        expect(statements.map((row) => row.name)).toEqual(['spec.count-schemas']);
      } finally {
        await dataSource.destroy();
      }
    }
  });

  it('prepares a statement again, under a new name, once a migration changed the type of a column it returns', async () => {
    const dataSource = await connect(database);
    try {
      await dataSource.query(`CREATE TABLE spec_stale (v integer)`);
      await dataSource.query(`INSERT INTO spec_stale VALUES (1)`);
      expect(await dataSource.query(STALE, [0])).toEqual([{ v: 1 }]);
      await dataSource.query(`ALTER TABLE spec_stale ALTER COLUMN v TYPE text`);
      // The run that finds the statement stale fails (as any statement the migration broke would); the next is
      // prepared anew on the same connection instead of failing until the process restarts.
      await expect(dataSource.query(STALE, [0])).rejects.toThrow(/cached plan must not change result type/);
      expect(await dataSource.query(STALE, [0])).toEqual([{ v: '1' }]);
      expect(await dataSource.query(STALE, [0])).toEqual([{ v: '1' }]);
    } finally {
      await dataSource.destroy();
    }
  });
});
