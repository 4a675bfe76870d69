import { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations';
import { PreparingClient } from './prepared-statements';

export interface DatabaseConnection {
  url: string;
  /** Connections of the pool. */
  poolSize: number;
  /**
   * Most requests that may wait for a connection (waiting-queries-limit.ts); default
   * WAITING_QUERIES_PER_CONNECTION per connection.
   */
  waitingLimit?: number;
}

const CONNECT_TIMEOUT_MS = 10_000;
/** A statement that runs longer than this is a bug or a lock pile-up, not work: fail it loudly. */
const STATEMENT_TIMEOUT_MS = 30_000;
/**
 * The client's own deadline for an answer, a little longer than the server's: a server that stopped answering
 * (frozen, or gone without closing the socket) fails the query here instead of holding it and its request forever.
 */
const QUERY_TIMEOUT_MS = STATEMENT_TIMEOUT_MS + 5_000;

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
      query_timeout: QUERY_TIMEOUT_MS,
      keepAlive: true,
      idleTimeoutMillis: 0,
      // Prepares the statements declared with prepared() (see prepared-statements.ts).
      Client: PreparingClient,
    },
  };
}
