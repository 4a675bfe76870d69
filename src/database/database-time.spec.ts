import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../common/clock';
import { ManualClock } from '../../test/support/clocks';
import { createTestDatabase, TestDatabase } from '../../test/support/test-database';
import { dataSourceOptions } from './data-source-options';
import { databaseNow, databaseNowMs } from './database-time';

/** The clock of the robots' windows and pauses, on the test database (embedded, or TEST_DATABASE_URL). */
describe('database time', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await new DataSource(dataSourceOptions(database.connection)).initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const read = async (override: number | null) => {
    const [row]: Array<{ ms: number; at: Date; real: Date }> = await dataSource.query(
      `SELECT ${databaseNowMs('$1')} AS ms, ${databaseNow('$1')} AS at, clock_timestamp() AS real`,
      [override],
    );
    return { ms: Number(row.ms), at: row.at.getTime(), real: row.real.getTime() };
  };

  it("is the database's own clock in production (the system clock overrides nothing)", async () => {
    const production = await read(new SystemClock().databaseNowOverride());
    expect(Math.abs(production.ms - production.real)).toBeLessThan(1_000);
    expect(Math.abs(production.at - production.real)).toBeLessThan(1_000);
  });

  it("is a test clock's own time, to the millisecond, so that moving the clock moves it", async () => {
    const clock = new ManualClock(Date.UTC(2030, 0, 1, 8, 0, 0, 123));
    expect(await read(clock.databaseNowOverride())).toMatchObject({ ms: clock.now(), at: clock.now() });
    await clock.advance(600_000);
    expect((await read(clock.databaseNowOverride())).ms).toBe(Date.UTC(2030, 0, 1, 8, 10, 0, 123));
  });
});
