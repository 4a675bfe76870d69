import { Client } from 'pg';

/**
 * The statements on the path of every report and every dispatcher round, prepared once per connection instead of
 * parsed and planned on every run.
 *
 * Why: on the delivery benchmark (1,000 bots, PostgreSQL), pg_stat_statements showed PostgreSQL spending more time
 * planning these statements than running them (the report's bot lookup: 0.17 ms planning, 0.04 ms execution), and
 * the database shares the machine's cores with the service. A named statement is parsed once per connection, and
 * PostgreSQL plans it once (its generic plan, after five runs); docs/performance.md has the figures.
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
 * PostgreSQL refuses to run a prepared statement whose result columns changed type since it was prepared ("cached
 * plan must not change result type", SQLSTATE 0A000): a migration by another instance during a rolling update can
 * do that under this one's connections, which never close.
 */
function isStalePlan(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    code === '0A000' && typeof message === 'string' && message.includes('cached plan must not change result')
  );
}

/**
 * node-postgres's client, sending declared statements as named ones. A statement found stale (see isStalePlan) is
 * prepared again under a new name on this connection from its next run on (the failed run fails, as it would
 * have with any other error; the old statement stays in the session, unused, until the connection closes).
 *
 * (The override keeps node-postgres's overloaded signature: `any` is the one type TypeScript accepts for that.)
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
export class PreparingClient extends Client {
  /** Per declared name, how many times its statement was found stale on this connection. */
  private readonly renamed = new Map<string, number>();

  override query(...args: any[]): any {
    const text: unknown = args[0];
    const declared = typeof text === 'string' ? nameOfText.get(text) : undefined;
    if (declared === undefined) return super.query.apply(this, args as Parameters<Client['query']>);
    const generation = this.renamed.get(declared) ?? 0;
    args[0] = { name: generation === 0 ? declared : `${declared}#${generation}`, text };
    const result: unknown = super.query.apply(this, args as Parameters<Client['query']>);
    if (!(result instanceof Promise)) return result; // The callback form: TypeORM and the pool never use it.
    return result.catch((error: unknown) => {
      if (isStalePlan(error)) this.renamed.set(declared, generation + 1);
      throw error;
    });
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */
