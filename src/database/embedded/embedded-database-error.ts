/**
 * The embedded database cannot start for a reason the user can fix (no binaries for this platform, a data
 * directory left by the earlier PGlite database, a directory the server's account cannot reach). Its message is
 * one line that says what to do; main.ts prints it alone, without a stack.
 */
export class EmbeddedDatabaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedDatabaseError';
  }
}
