import { DataSource, EntityManager } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TestDatabase } from '../../test/support/test-database';
import { dataSourceOptions } from './data-source-options';
import { useGenericPlans, withCustomPlans } from './plan-cache';

async function mode(manager: EntityManager): Promise<string> {
  const [row] = await manager.query<Array<{ plan_cache_mode: string }>>('SHOW plan_cache_mode');
  return row.plan_cache_mode;
}

describe('plan cache modes of a transaction (real database)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    // One connection: what a transaction leaves on it, the next one would meet.
    dataSource = await new DataSource(
      dataSourceOptions({ ...database.connection, poolSize: 1 }),
    ).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('generic plans until the transaction ends, custom ones inside withCustomPlans, the connection left as it was', async () => {
    const seen = await dataSource.transaction(async (manager) => {
      const before = await mode(manager);
      await useGenericPlans(manager);
      const generic = await mode(manager);
      const inside = await withCustomPlans(manager, () => mode(manager));
      return { before, generic, inside, after: await mode(manager) };
    });
    expect(seen).toEqual({
      before: 'auto',
      generic: 'force_generic_plan',
      inside: 'auto',
      after: 'force_generic_plan',
    });
    expect(await mode(dataSource.manager)).toBe('auto');
  });

  it("a failure inside withCustomPlans is the caller's error, not one of a statement sent after it", async () => {
    const failing = dataSource.transaction(async (manager) => {
      await useGenericPlans(manager);
      await withCustomPlans(manager, () => manager.query('SELECT 1 / 0'));
    });
    await expect(failing).rejects.toThrow(/division by zero/);
    expect(await mode(dataSource.manager)).toBe('auto');
  });
});
