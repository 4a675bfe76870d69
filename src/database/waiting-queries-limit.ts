import { AsyncLocalStorage } from 'node:async_hooks';
import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * How many requests for a connection may wait in the pool, per connection of the pool. Beyond that the database is
 * saturated: a request that queued would only wait out the connect timeout (10 s) while its body and handler sit in
 * the heap, and under a sustained overload the heap would grow without bound. 20 waiters per connection is a
 * queue of tens of milliseconds at this service's statement times (1-3 ms), and far above what a burst of reports
 * builds up (the benchmark's 50 concurrent clients).
 */
export const WAITING_QUERIES_PER_CONNECTION = 20;

/** The pool's queue is full: the request is answered 503 with Retry-After (database-unavailable.ts). */
export class DatabaseBusyError extends Error {
  constructor(limit: number) {
    super(`The database is busy: ${limit} requests are already waiting for a connection`);
    this.name = 'DatabaseBusyError';
  }
}

/** True inside the work of an HTTP request (asRequest), false inside background work (outsideRequests). */
const requestScope = new AsyncLocalStorage<boolean>();

/** Runs `next` (and what it starts) as the work of an HTTP request: its queries are under the ceiling. */
export function asRequest<T>(next: () => T): T {
  return requestScope.run(true, next);
}

/**
 * Runs `work` (and what it starts) outside the ceiling, also when a request started it (a report wakes the
 * dispatcher). The dispatcher's rounds, lease renewals and the scheduled jobs share the pool with the requests: were
 * they refused while a flood of requests keeps the queue full, results would go unrecorded and leases run out, and
 * another instance would send those notifications again. They queue instead, behind at most the ceiling's requests.
 */
export function outsideRequests<T>(work: () => T): T {
  return requestScope.run(false, work);
}

type ConnectCallback = (
  error: Error | undefined,
  client?: PoolClient,
  done?: (release?: unknown) => void,
) => void;

/**
 * Puts a ceiling on the pool's queue of waiting requests (node-postgres queues them without one): a request that
 * finds `limit` already waiting fails at once with DatabaseBusyError. TypeORM takes every connection through the
 * pool's `connect` (with a callback), so the ceiling holds for every query and transaction of an HTTP request
 * (asRequest, set by app.factory.ts); other work waits its turn (outsideRequests).
 */
export function limitWaitingQueries(dataSource: DataSource, limit: number): void {
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  const connect = pool.connect.bind(pool) as (callback?: ConnectCallback) => Promise<PoolClient> | undefined;
  const limited = (callback?: ConnectCallback): Promise<PoolClient> | undefined => {
    if (requestScope.getStore() !== true || pool.waitingCount < limit) return connect(callback);
    const error = new DatabaseBusyError(limit);
    if (!callback) return Promise.reject(error);
    process.nextTick(() => callback(error));
    return undefined;
  };
  pool.connect = limited as Pool['connect'];
}
