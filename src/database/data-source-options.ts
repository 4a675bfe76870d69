import { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations';

export interface DatabaseConnection {
  url: string;
  /** 1 for the embedded database (PGlite has a single session); a pool for a PostgreSQL server. */
  poolSize: number;
}

const CONNECT_TIMEOUT_MS = 10_000;
/** A statement that runs longer than this is a bug or a lock pile-up, not work: fail it loudly. */
const STATEMENT_TIMEOUT_MS = 30_000;

/** TypeORM options shared by the service and the migration command. Schema changes only through migrations. */
export function dataSourceOptions(connection: DatabaseConnection): DataSourceOptions {
  return {
    type: 'postgres',
    url: connection.url,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    poolSize: connection.poolSize,
    connectTimeoutMS: CONNECT_TIMEOUT_MS,
    extra: {
      max: connection.poolSize,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      statement_timeout: STATEMENT_TIMEOUT_MS,
      idleTimeoutMillis: 0,
    },
  };
}
