import { DataSource } from 'typeorm';
import { SecretBox } from '../common/crypto/secret-box';
import { ConfigError } from '../config/config-error';
import { loadConfig } from '../config/load-config';
import { dataSourceOptions } from './data-source-options';
import { DataDirLockedError } from './embedded/data-dir-lock';
import { startEmbeddedDatabase } from './embedded/embedded-database';
import { EmbeddedDatabaseError } from './embedded/embedded-database-error';
import { runMigrations } from './run-migrations';

/**
 * `npm run migration:run`: applies pending migrations to the configured database and exits. The service also
 * does this at start-up; this is for deploy pipelines that migrate before rolling out.
 */
async function main(): Promise<number> {
  const config = loadConfig(process.env);
  const embedded =
    config.database.kind === 'embedded'
      ? await startEmbeddedDatabase(config.database.directory, config.dataDir)
      : undefined;
  try {
    const url = config.database.kind === 'server' ? config.database.url : embedded!.url;
    // Warnings printed: what a migration reports of the data it changed (e.g. bots merged onto one app).
    const dataSource = await new DataSource({
      ...dataSourceOptions({ url, poolSize: 1 }),
      logging: ['warn'],
    }).initialize();
    try {
      const secrets = new SecretBox(config);
      const applied = await runMigrations(dataSource, { openSealed: (sealed) => secrets.open(sealed) });
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await embedded?.stop();
  }
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    if (
      error instanceof ConfigError ||
      error instanceof DataDirLockedError ||
      error instanceof EmbeddedDatabaseError
    ) {
      console.error(error.message);
    } else {
      console.error('Migration failed:', error);
    }
    process.exitCode = 1;
  },
);
