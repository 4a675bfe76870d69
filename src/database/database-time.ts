/**
 * "Now" as SQL, in epoch milliseconds, for the times several instances compare with each other (a robot's sends in
 * its rate window, pauses): one clock must write and read them, the database's (`clock_timestamp()`: the moment the
 * statement reads it, not the transaction's start), not each instance's own. The parameter `$n` is
 * Clock.databaseNowOverride(): null in production; a test's clock passes its own time, so that a test that moves
 * its clock ten minutes moves these times too.
 */
export function databaseNowMs(overrideParameter: string): string {
  return `COALESCE(${overrideParameter}::double precision, extract(epoch FROM clock_timestamp()) * 1000)`;
}

/** The same moment as a timestamptz. */
export function databaseNow(overrideParameter: string): string {
  return `COALESCE(to_timestamp(${overrideParameter}::double precision / 1000), clock_timestamp())`;
}
