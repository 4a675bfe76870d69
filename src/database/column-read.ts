/**
 * A value one module reads in another module's statement, as one more column of it: the module owning the table
 * hands over the SQL and how to read its value, the statement's owner places it. Neither learns the other's tables,
 * and the value costs no round trip of its own (the store's kitchen confirmation, read with a report's bots: that
 * statement runs for every report). The read's SQL is fixed, so the statement carrying it is prepared once.
 */
export interface ColumnRead<T> {
  /** Names the read in the name of the prepared statement carrying it (prepared-statements.ts). */
  readonly name: string;
  /**
   * One value or NULL (a scalar subquery, cheap: it runs in a hot statement), keyed by the statement's parameter
   * `keyParam` (such as `$1`); no parameters of its own.
   */
  sql(keyParam: string): string;
  /** The column's value as node-postgres returns it (a json column: parsed already). */
  parse(value: unknown): T;
}
