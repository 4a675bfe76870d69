import {
  CannotExecuteNotConnectedError,
  ConnectionIsNotSetError,
  QueryRunnerAlreadyReleasedError,
  QueryRunnerProviderAlreadyReleasedError,
} from 'typeorm';
import { DatabaseBusyError } from './waiting-queries-limit';

export const DATABASE_UNAVAILABLE_MESSAGE =
  'The service cannot reach its database right now; try again in a few seconds.';

/**
 * How long a client should wait before sending the request again. A PostgreSQL restart or a failover takes a few
 * seconds; clients that honour the header come back after that instead of hammering a recovering server.
 */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * Tells "the database cannot be reached right now" apart from every other database error, so that a request that
 * met an outage is answered 503 with Retry-After (try again shortly) instead of a 500 (something is broken).
 *
 * What an outage looks like from here, through TypeORM and `pg`:
 * - no connection: ECONNREFUSED, ECONNRESET, EPIPE, ETIMEDOUT, EHOSTUNREACH, a DNS failure of the host;
 * - a connection cut: "Connection terminated unexpectedly", a client "not queryable" after an error;
 * - timeouts of our own: the pool's "timeout exceeded when trying to connect", the client's connect timeout, the
 *   client-side query timeout (data-source-options.ts);
 * - the server saying so: class 08 (connection exception), 57P01 admin_shutdown (a fast or smart stop), 57P02
 *   crash_shutdown, 57P03 cannot_connect_now (starting up, shutting down, in recovery), 53300 too_many_connections;
 * - the server refusing this database: 55000 at severity FATAL, "database … is not currently accepting connections"
 *   (`ALTER DATABASE … ALLOW_CONNECTIONS false`, an operator fencing it for maintenance). 55000 at severity ERROR is
 *   something else (object_not_in_prerequisite_state, e.g. currval before nextval: a bug), so only the FATAL one,
 *   which ends the session, counts;
 * - TypeORM without a connection at all (the DataSource is not initialised, or was destroyed), or with a query
 *   runner it released because its connection broke;
 * - the pool's queue of waiting requests full (DatabaseBusyError): try again in a moment as well.
 * The embedded database is a PostgreSQL server of the service's own and fails in the same ways.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const current = pending.pop();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    if (looksUnavailable(current)) return true;
    const { driverError, cause, errors } = current as {
      driverError?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    pending.push(driverError, cause);
    if (Array.isArray(errors)) pending.push(...(errors as unknown[]));
  }
  return false;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300']);

const MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /is not queryable/i,
  /query read timeout/i,
  /connection (?:is )?(?:closed|ended)/i,
  // TypeORM's driver once its pool is gone (a destroyed DataSource)
  /driver not connected/i,
];

/** PostgreSQL's SQLSTATE for a database that refuses connections; see isDatabaseUnavailable for why only FATAL. */
const REFUSED_DATABASE_CODE = '55000';

function looksUnavailable(error: object): boolean {
  const { code, message, severity } = error as { code?: unknown; message?: unknown; severity?: unknown };
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || SERVER_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
    if (code === REFUSED_DATABASE_CODE && severity === 'FATAL') return true;
  }
  if (
    error instanceof CannotExecuteNotConnectedError ||
    error instanceof ConnectionIsNotSetError ||
    error instanceof DatabaseBusyError
  ) {
    return true;
  }
  // TypeORM releases a query runner as soon as its connection reports an error; the request's next query on it
  // (getManyAndCount's count after its select) then meets this instead of the network error itself. Inside a
  // transaction the same release shows as the provider's error: the report's listener writes its notifications
  // through the transaction's EntityManager, whose connection the cut already released.
  if (
    error instanceof QueryRunnerAlreadyReleasedError ||
    error instanceof QueryRunnerProviderAlreadyReleasedError
  ) {
    return true;
  }
  return typeof message === 'string' && MESSAGES.some((pattern) => pattern.test(message));
}
