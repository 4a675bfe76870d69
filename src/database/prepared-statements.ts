import { Client } from 'pg';

/**
 * The statements on the path of every report and every dispatcher round, prepared once per connection instead of
 * parsed and planned on every run.
 *
 * Why: on the delivery benchmark (1,000 bots, PostgreSQL), pg_stat_statements showed PostgreSQL spending more time
 * planning these statements than running them (the report's bot lookup: 0.17 ms planning, 0.04 ms execution), and
 * the database shares the machine's cores with the service. A named statement is parsed once per connection, and
 * PostgreSQL plans it once (its generic plan, after five runs); README "Performance" has the figures.
 *
 * How: a statement is declared with `prepared(name, text)`, which returns the text unchanged; the call sites run it
 * as any other query (TypeORM's logging and errors stay as they are). The pool's client (`PreparingClient`, set in
 * the data source options) recognises a declared text and sends it to node-postgres as a named statement.
 *
 * Only declared statements are prepared: a prepared statement lives as long as its connection, so preparing every
 * text (e.g. TypeORM's generated ones, whose IN lists vary) would grow each session without bound.
 */
const nameOfText = new Map<string, string>();
const textOfName = new Map<string, string>();

/** Declares `text` a prepared statement named `name` (unique in the process); returns the text. */
export function prepared(name: string, text: string): string {
  const known = textOfName.get(name);
  if (known !== undefined && known !== text) {
    throw new Error(`Two different statements are declared as prepared statement "${name}"`);
  }
  textOfName.set(name, text);
  nameOfText.set(text, name);
  return text;
}

/**
 * node-postgres's client, sending declared statements as named ones.
 *
 * On connecting it first drops any prepared statement its session already has: the embedded database has a single
 * session that outlives its connections (pglite-socket does not reset it when a client goes), so a new connection
 * would otherwise find the previous one's statements and fail to prepare its own. On a PostgreSQL server a new
 * connection is a new session, and this is a no-op.
 *
 * (Both methods keep node-postgres's overloaded signatures: `any` is the one type TypeScript accepts for that.)
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
export class PreparingClient extends Client {
  override connect(...args: any[]): any {
    const callback = args[0] as ((error?: Error) => void) | undefined;
    const ready = (async () => {
      await super.connect();
      try {
        await super.query('DEALLOCATE ALL');
      } catch (error) {
        await this.end().catch(() => undefined);
        throw error;
      }
      return this;
    })();
    if (!callback) return ready;
    // The pool connects with a callback, and expects nothing back.
    ready.then(() => callback(), callback);
    return undefined;
  }

  override query(...args: any[]): any {
    const name = typeof args[0] === 'string' ? nameOfText.get(args[0]) : undefined;
    if (name !== undefined) args[0] = { name, text: args[0] as string };
    return super.query.apply(this, args as Parameters<Client['query']>);
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */
