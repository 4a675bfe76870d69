import { Logger as PinoLogger } from 'pino';
import { Logger as TypeOrmLogger } from 'typeorm';

/** A query slower than this is logged at warn (TypeORM's `maxQueryExecutionTime`). */
export const SLOW_QUERY_MS = 1_000;

/**
 * TypeORM's log calls into the process's pino logger: every statement at trace (so `LOG_LEVEL=trace` shows the SQL
 * the service runs), a failed statement at debug (the error itself reaches whoever ran it), a slow one at warn,
 * migrations at info.
 *
 * Bound values are never written as they are: a parameter can be anything a request sent or a sealed secret.
 * Numbers, booleans, null and dates are kept (ids, counts, times are what one reads SQL logs for); every string
 * becomes its length only (see `scrubParameters`). The SQL text itself holds no values (every query is
 * parameterised) and still passes through the logger's pattern scrub.
 */
export class TypeOrmPinoLogger implements TypeOrmLogger {
  constructor(private readonly pino: PinoLogger) {}

  logQuery(query: string, parameters?: unknown[] | object): void {
    if (!this.pino.isLevelEnabled('trace')) return;
    this.pino.trace({ params: scrubParameters(parameters) }, oneLine(query));
  }

  logQueryError(error: string | Error, query: string, parameters?: unknown[] | object): void {
    if (!this.pino.isLevelEnabled('debug')) return;
    const message = typeof error === 'string' ? error : error.message;
    const code = typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
    this.pino.debug(
      { params: scrubParameters(parameters), error: message, code },
      `Query failed: ${oneLine(query)}`,
    );
  }

  logQuerySlow(time: number, query: string, parameters?: unknown[] | object): void {
    this.pino.warn({ ms: time, params: scrubParameters(parameters) }, `Slow query: ${oneLine(query)}`);
  }

  logSchemaBuild(message: string): void {
    this.pino.debug(message);
  }

  logMigration(message: string): void {
    this.pino.info(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    const text = typeof message === 'string' ? message : JSON.stringify(message);
    if (level === 'warn') this.pino.warn(text);
    else this.pino.debug(text);
  }
}

const MAX_LOGGED_PARAMETERS = 50;

/**
 * What a SQL log line may show of the bound values: numbers, bigints (as text), booleans, null and dates as they
 * are; a string as `"<text, N chars>"`; a Buffer as its size; arrays item by item (the first 50); any other object
 * as `"<object>"`.
 */
export function scrubParameters(parameters: unknown[] | object | undefined): unknown {
  if (parameters === undefined) return undefined;
  if (Array.isArray(parameters)) return scrubList(parameters);
  return Object.fromEntries(Object.entries(parameters).map(([key, value]) => [key, scrubValue(value)]));
}

function scrubList(values: readonly unknown[]): unknown[] {
  const shown = values.slice(0, MAX_LOGGED_PARAMETERS).map(scrubValue);
  if (values.length > MAX_LOGGED_PARAMETERS) shown.push(`<${values.length - MAX_LOGGED_PARAMETERS} more>`);
  return shown;
}

function scrubValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '<invalid date>' : value.toISOString();
  if (typeof value === 'string') return `<text, ${value.length} chars>`;
  if (Buffer.isBuffer(value)) return `<bytes, ${value.length}>`;
  if (Array.isArray(value)) return scrubList(value);
  return '<object>';
}

function oneLine(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim();
}
