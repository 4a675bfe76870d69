import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataDirLock, lockDataDir } from './data-dir-lock';
import { refuseForeignDirectory } from './foreign-directory';
import { initialize } from './initdb';
import { leftoverServers, stopLeftoverServers } from './leftover-servers';
import { findPostgresBinaries } from './postgres-binaries';
import { assertReachable, letServerThrough, serverAccount } from './server-account';
import { connectionUrl, loadOrCreatePassword } from './server-credentials';
import { RetryableStartError, ServerLogLevel, SOCKET_PORT, startServer } from './server-process';
import { serverSettings } from './server-settings';

/**
 * The embedded database's one entry point (main.ts, migrate.cli.ts and the tests' global setup call it): the order
 * of a start, from the lock on DATA_DIR to a URL for the pool. Each step lives in the module it names.
 */

export { PASSWORD_FILE } from './server-credentials';
export type { ServerLogLevel } from './server-process';

export interface EmbeddedDatabase {
  /** postgres:// URL with the generated password: for the pool only, never for a log line. */
  readonly url: string;
  /** True when this start created the database cluster (ran initdb). */
  readonly created: boolean;
  /** The server's main process (the postmaster). */
  readonly serverPid: number;
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  /** Receives every line the server writes, with a level from its severity (default: dropped). */
  log?: (level: ServerLogLevel, line: string) => void;
  /**
   * false skips every fsync (initdb --no-sync, fsync=off): for throwaway test clusters only, where a power cut
   * does not matter and the suite runs on shared cores.
   */
  durable?: boolean;
  /** The server's max_connections (default 20, for the service's pool): more for a test run's many pools. */
  maxConnections?: number;
}

/** Longest path of a Unix socket (sun_path is 108 bytes on Linux, 104 on macOS, with its NUL). */
const MAX_SOCKET_PATH = 100;

/**
 * Starts a PostgreSQL 18 server on `directory` (DATA_DIR/db) as a child process, after locking `dataDir` (the lock
 * that keeps two services off one DATA_DIR). A fresh directory is created with initdb first. The server listens
 * on a Unix socket in `directory` only (127.0.0.1 on a free port where that path is too long for a socket), with
 * password authentication (SCRAM) and a password generated into DATA_DIR/keys.
 *
 * The server dies with the service: it runs under a watchdog shell that holds the read end of a pipe from this
 * process and stops the server (a fast shutdown) when the pipe closes, which the kernel does when this process
 * exits, even by SIGKILL. A start also stops a server a previous run left behind, after checking it serves this
 * directory. See docs/embedded-database.md.
 */
export async function startEmbeddedDatabase(
  directory: string,
  dataDir: string,
  options: EmbeddedDatabaseOptions = {},
): Promise<EmbeddedDatabase> {
  const lock = lockDataDir(dataDir);
  try {
    return await startLocked(directory, dataDir, options, lock);
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function startLocked(
  directory: string,
  dataDir: string,
  options: EmbeddedDatabaseOptions,
  lock: DataDirLock,
): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => undefined);
  const durable = options.durable ?? true;
  refuseForeignDirectory(directory, dataDir);
  const binaries = findPostgresBinaries();
  const account = serverAccount();
  if (account) {
    assertReachable(account, [binaries.postgres, dataDir]);
    letServerThrough(account, dataDir);
  }
  const password = loadOrCreatePassword(dataDir);

  // Up to the server's spawn, a warm start does not wait on anything: main.ts starts this before it loads the
  // application's modules (synchronous work of a second or more), and the server starts meanwhile.
  const created = !existsSync(join(directory, 'PG_VERSION'));
  if (created) {
    await initialize(binaries, directory, password, account, durable);
  } else {
    const leftovers = leftoverServers(directory);
    if (leftovers.length > 0) await stopLeftoverServers(leftovers, log);
  }

  const socketFits = join(directory, `.s.PGSQL.${SOCKET_PORT}`).length <= MAX_SOCKET_PATH;
  for (let attempt = 1; ; attempt++) {
    const port = socketFits ? SOCKET_PORT : await freePort();
    try {
      const settings = serverSettings(durable, options.maxConnections ?? 20);
      const server = await startServer(binaries, directory, socketFits, port, account, settings, log);
      return {
        url: connectionUrl(password, directory, socketFits, port),
        created,
        serverPid: server.pid,
        stop: () => server.stop().finally(() => lock.release()),
      };
    } catch (error) {
      // A port taken between choosing and binding it, or the shared memory of a previous server whose last
      // processes are still exiting: both clear up on their own.
      if (attempt >= 10 || !(error instanceof RetryableStartError)) throw error;
      await sleep(500);
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
