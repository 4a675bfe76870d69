import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { EmbeddedDatabaseError } from './embedded-database-error';
import { PASSWORD_FILE } from './server-credentials';

/**
 * The check that runs before anything touches DATA_DIR/db: a directory this server cannot use (the earlier PGlite
 * database's, a cluster that lost its password, unrelated files) is refused in one line that says how to move it
 * aside, instead of failing inside initdb or postgres, or being overwritten.
 *
 * The earlier embedded database (PGlite, PostgreSQL compiled to WebAssembly) kept its files in DATA_DIR/db too,
 * in a format this server cannot open (built without 64-bit pass-by-value floats: "database files are
 * incompatible with server"). A directory made here always has its password in DATA_DIR/keys, written before
 * initdb, and initdb makes its files 0600; PGlite wrote none and made its files through Node's fs, readable by
 * others (0644, or 0666). It is left as it is, and the message says how to move it aside. A cluster of ours whose
 * password file was deleted (e.g. with the other keys) cannot be opened either, and is told apart.
 */
export function refuseForeignDirectory(directory: string, dataDir: string): void {
  const version = statSync(join(directory, 'PG_VERSION'), { throwIfNoEntry: false });
  const hasCluster = version !== undefined;
  if (version && !existsSync(join(dataDir, 'keys', PASSWORD_FILE))) {
    const move = (aside: string) =>
      `move it aside (mv '${directory}' '${aside}') and start again for a new empty database`;
    const madeByInitdb = (version.mode & 0o027) === 0;
    throw new EmbeddedDatabaseError(
      madeByInitdb
        ? `${directory} holds a database whose password file ${join(dataDir, 'keys', PASSWORD_FILE)} is missing: ` +
            `restore that file, or ${move(`${directory}-old`)}.`
        : `${directory} holds a database of the earlier embedded database (PGlite), which PostgreSQL cannot ` +
            `open: ${move(`${directory}-pglite`)}; the old data stays intact in ${directory}-pglite.`,
    );
  }
  if (!hasCluster && existsSync(directory) && readdirSync(directory).length > 0) {
    throw new EmbeddedDatabaseError(
      `${directory} is not empty but holds no database: move it aside (mv '${directory}' '${directory}-old') ` +
        'and start again.',
    );
  }
}
