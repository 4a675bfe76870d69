import { DataSource } from 'typeorm';
import { MigrationExecutor } from 'typeorm/migration/MigrationExecutor';
import { giveSecretOpener, OpenSealed } from './migration-secrets';

/** Any constant will do; it only has to be the same in every instance of this service. */
const MIGRATION_LOCK_KEY = 4_024_001;

/**
 * Applies pending migrations under a PostgreSQL advisory lock, so that several instances starting together
 * against one server do not run them twice. Uses one query runner throughout: the lock belongs to its session.
 * `openSealed` lets a migration compare sealed secrets for its report (migration-secrets.ts).
 */
export async function runMigrations(
  dataSource: DataSource,
  options: { openSealed?: OpenSealed } = {},
): Promise<string[]> {
  const queryRunner = dataSource.createQueryRunner();
  giveSecretOpener(queryRunner, options.openSealed);
  try {
    await queryRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const executor = new MigrationExecutor(dataSource, queryRunner);
      executor.transaction = 'each';
      const applied = await executor.executePendingMigrations();
      return applied.map((migration) => migration.name);
    } finally {
      await queryRunner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await queryRunner.release();
  }
}
