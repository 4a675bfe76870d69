import { randomBytes } from 'node:crypto';
import { loadOrCreateLocalKey } from '../../config/local-keys';

/**
 * Who the service connects to the embedded server as, and with what: one superuser and a password generated once
 * into DATA_DIR/keys. initdb (initdb.ts) sets it, the foreign-directory check (foreign-directory.ts) looks for its
 * file, and the start (embedded-database.ts) puts it in the pool's URL: the three agree through this file.
 */

/** The generated password, in DATA_DIR/keys beside the service's other generated keys (mode 0600). */
export const PASSWORD_FILE = 'database-password';
export const DATABASE_USER = 'postgres';

export function loadOrCreatePassword(dataDir: string): string {
  return loadOrCreateLocalKey(dataDir, PASSWORD_FILE, () => randomBytes(24).toString('hex')).value;
}

/**
 * The server's address: its Unix socket in `directory` when it listens there, 127.0.0.1 on `port` otherwise.
 * The URL holds the password: for the pool only, never for a log line.
 */
export function connectionUrl(password: string, directory: string, onSocket: boolean, port: number): string {
  const host = onSocket
    ? `localhost/postgres?host=${encodeURIComponent(directory)}`
    : `127.0.0.1:${port}/postgres`;
  return `postgres://${DATABASE_USER}:${password}@${host}`;
}
