import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { loadOrCreateLocalKey } from '../../config/local-keys';
import { DataDirLock, lockDataDir } from './data-dir-lock';
import { EmbeddedDatabaseError } from './embedded-database-error';
import { findPostgresBinaries, PostgresBinaries } from './postgres-binaries';
import { assertReachable, letServerThrough, ServerAccount, serverAccount } from './server-account';

export interface EmbeddedDatabase {
  /** postgres:// URL with the generated password: for the pool only, never for a log line. */
  readonly url: string;
  /** True when this start created the database cluster (ran initdb). */
  readonly created: boolean;
  /** The server's main process (the postmaster). */
  readonly serverPid: number;
  stop(): Promise<void>;
}

export type ServerLogLevel = 'debug' | 'info' | 'warn' | 'error';

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

/** The generated password, in DATA_DIR/keys beside the service's other generated keys (mode 0600). */
export const PASSWORD_FILE = 'database-password';
const DATABASE_USER = 'postgres';
const START_TIMEOUT_MS = 60_000;
/** A fast shutdown rolls back open transactions and writes a checkpoint: seconds at most on a small database. */
const STOP_TIMEOUT_MS = 20_000;
/** Longest path of a Unix socket (sun_path is 108 bytes on Linux, 104 on macOS, with its NUL). */
const MAX_SOCKET_PATH = 100;
const SOCKET_PORT = 5432;

/**
 * Settings for one small service on a shared machine, on top of PostgreSQL's defaults (which assume a dedicated
 * server). Each one says why.
 */
function serverSettings(durable: boolean, maxConnections: number): string[] {
  const settings: Record<string, string> = {
    // One client, the service's pool (src/main.ts), plus headroom for `npm run migration:run`'s single connection
    // and superuser slots. Each slot costs shared memory whether used or not.
    max_connections: String(maxConnections),
    // The buffer cache is counted in the service's memory (proportional set size); 32 MB holds the working set of a
    // store's reports and notifications, and the rest of the files stay in the OS page cache, shared with no one.
    shared_buffers: '32MB',
    // Sorts and hashes of this service's queries are small; the default 4MB per operation stays. Index builds of a
    // migration are the only maintenance work.
    maintenance_work_mem: '32MB',
    // No replicas, no archive: minimal WAL is smaller, and lets a migration's CREATE TABLE / CREATE INDEX skip it.
    wal_level: 'minimal',
    max_wal_senders: '0',
    // 1 GB of WAL between checkpoints is a server's budget; 256 MB bounds DATA_DIR's WAL on a small disk.
    max_wal_size: '256MB',
    min_wal_size: '32MB',
    // Short OLTP statements on two cores: parallel workers and JIT compilation only add processes and memory.
    max_parallel_workers_per_gather: '0',
    max_parallel_maintenance_workers: '0',
    jit: 'off',
    // Nothing subscribes to logical replication: no launcher process.
    max_logical_replication_workers: '0',
    max_sync_workers_per_subscription: '0',
    // Mapped huge pages would be counted whole; try-and-fall-back costs a warning on most machines.
    huge_pages: 'off',
    // Messages in English whatever the machine's locale (the service logs them as they are).
    lc_messages: 'C',
    // The service logs what matters; checkpoints every few minutes are noise in its log.
    log_checkpoints: 'off',
    log_line_prefix: '',
  };
  if (!durable) Object.assign(settings, { fsync: 'off', full_page_writes: 'off', synchronous_commit: 'off' });
  return Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
}

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
  const password = loadOrCreateLocalKey(dataDir, PASSWORD_FILE, () => randomBytes(24).toString('hex')).value;

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
      const host = socketFits
        ? `localhost/postgres?host=${encodeURIComponent(directory)}`
        : `127.0.0.1:${port}/postgres`;
      return {
        url: `postgres://${DATABASE_USER}:${password}@${host}`,
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

/**
 * The earlier embedded database (PGlite, PostgreSQL compiled to WebAssembly) kept its files in DATA_DIR/db too,
 * in a format this server cannot open (built without 64-bit pass-by-value floats: "database files are
 * incompatible with server"). A directory made here always has its password in DATA_DIR/keys, written before
 * initdb, and initdb makes its files 0600; PGlite wrote none and made its files through Node's fs, readable by
 * others (0644, or 0666). It is left as it is, and the message says how to move it aside. A cluster of ours whose
 * password file was deleted (e.g. with the other keys) cannot be opened either, and is told apart.
 */
function refuseForeignDirectory(directory: string, dataDir: string): void {
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

/**
 * initdb into a directory beside the final one, renamed into place when complete: a start killed half-way leaves
 * no half-made cluster at DATA_DIR/db, only a leftover that the next start removes.
 */
async function initialize(
  binaries: PostgresBinaries,
  directory: string,
  password: string,
  account: ServerAccount | undefined,
  durable: boolean,
): Promise<void> {
  const parent = dirname(directory);
  for (const name of readdirSync(parent)) {
    if (name.startsWith(`${basename(directory)}.init-`))
      rmSync(join(parent, name), { recursive: true, force: true });
  }
  if (existsSync(directory)) rmdirSync(directory); // empty (checked above)
  const work = join(parent, `${basename(directory)}.init-${process.pid}`);
  mkdirSync(work, { mode: 0o700 });
  try {
    const passwordFile = join(work, 'password');
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    if (account) {
      chownSync(work, account.uid, account.gid);
      chownSync(passwordFile, account.uid, account.gid);
    }
    const args = [
      '--pgdata',
      join(work, 'data'),
      '--username',
      DATABASE_USER,
      '--auth',
      'scram-sha-256',
      `--pwfile=${passwordFile}`,
      '--encoding',
      'UTF8',
      // The C locale sorts by byte and needs no locale installed on the machine (slim images have none).
      '--locale',
      'C',
      '--no-instructions',
      // One syncfs() of the file system instead of an fsync() per file (about a thousand): the same durability,
      // seconds sooner on a busy disk. Linux only; elsewhere initdb's default.
      ...(!durable ? ['--no-sync'] : process.platform === 'linux' ? ['--sync-method=syncfs'] : []),
    ];
    const { code, output } = await runToEnd(binaries.initdb, args, account);
    if (code !== 0) throw new Error(`initdb failed (exit code ${code}): ${output.trim()}`);
    rmSync(passwordFile);
    renameSync(join(work, 'data'), directory);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function runToEnd(
  file: string,
  args: string[],
  account: ServerAccount | undefined,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      ...asAccount(account),
      env: SERVER_ENV,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), START_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * The server's environment: nothing of the service's (its secrets must not be readable from /proc by the server's
 * account), only a fixed locale.
 */
const SERVER_ENV = { LC_ALL: 'C' };

function asAccount(account: ServerAccount | undefined): { uid?: number; gid?: number } {
  // Node (libuv) drops root's supplementary groups when it sets uid and gid.
  return account ? { uid: account.uid, gid: account.gid } : {};
}

class RetryableStartError extends Error {}

/**
 * The watchdog: a POSIX shell runs the server in the background and waits on it; a subshell waits for the end of
 * its stdin (the pipe from this process) and then asks the server for a fast shutdown (SIGINT: open transactions
 * roll back, a checkpoint is written). postgres itself only notices the death of its own postmaster, so this is the
 * one thing that stops it when the service is killed. The shell prints the server's pid first.
 */
const WATCHDOG = [
  'exec 3<&0',
  '"$@" </dev/null 3<&- &',
  'server=$!',
  'echo "$server"',
  '( read -r _ <&3; kill -INT "$server" 2>/dev/null ) &',
  'watcher=$!',
  'exec 3<&-',
  'wait "$server"',
  'status=$?',
  'kill "$watcher" 2>/dev/null',
  'exit "$status"',
].join('\n');

interface RunningServer {
  pid: number;
  stop(): Promise<void>;
}

async function startServer(
  binaries: PostgresBinaries,
  directory: string,
  onSocket: boolean,
  port: number,
  account: ServerAccount | undefined,
  settings: string[],
  log: (level: ServerLogLevel, line: string) => void,
): Promise<RunningServer> {
  const args = [
    '-D',
    directory,
    '-p',
    String(port),
    '-c',
    `listen_addresses=${onSocket ? '' : '127.0.0.1'}`,
    '-c',
    `unix_socket_directories=${onSocket ? `"${directory}"` : ''}`,
    '-c',
    'unix_socket_permissions=0700',
    ...settings,
  ];
  const child = spawn('/bin/sh', ['-c', WATCHDOG, 'postgres-watchdog', binaries.postgres, ...args], {
    ...asAccount(account),
    env: SERVER_ENV,
    // Its own session and process group: Ctrl-C in a terminal reaches the service alone, which then shuts down in
    // order (the application, then this server) instead of the server stopping under the application's last writes.
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const recent: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    recent.push(line);
    if (recent.length > 20) recent.shift();
    log(levelOf(line), line);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.once('error', () => undefined); // reported through 'exit'
  const pid = await firstLine(child);
  try {
    await waitUntilReady(directory, pid, exited);
  } catch (error) {
    child.stdin.end();
    await Promise.race([exited, sleep(STOP_TIMEOUT_MS)]);
    const output = recent.join(' | ');
    if (
      /could not bind|Address already in use|pre-existing shared memory block|lock file .* already exists/.test(
        output,
      )
    ) {
      throw new RetryableStartError(`${(error as Error).message}: ${output}`);
    }
    throw new Error(`${(error as Error).message}: ${output}`, { cause: error });
  }
  let stopped: Promise<void> | undefined;
  void exited.then((code) => {
    if (!stopped) log('error', `The embedded database stopped unexpectedly (exit code ${code})`);
  });
  return {
    pid,
    stop: () => (stopped ??= stopServer(child, pid, exited)),
  };
}

function firstLine(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      lines.close();
      resolve(Number(line));
    });
    child.once('exit', () => reject(new Error('The embedded database exited before it started')));
  });
}

/** Ready when its postmaster.pid says so: the status line pg_ctl waits for ("ready"). */
async function waitUntilReady(directory: string, pid: number, exited: Promise<number | null>): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (let delay = 5; ; delay = Math.min(delay * 2, 50)) {
    if (gone) throw new Error('The embedded database exited during its start');
    const lines = readLines(join(directory, 'postmaster.pid'));
    if (lines && Number(lines[0]) === pid && lines[7]?.trim() === 'ready') return;
    if (Date.now() > deadline) throw new Error('The embedded database did not start within 60 s');
    await sleep(delay);
  }
}

async function stopServer(child: ChildProcess, pid: number, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.stdin!.end(); // the watchdog's cue: a fast shutdown
  if (await within(exited, STOP_TIMEOUT_MS)) return;
  // Stuck (e.g. a checkpoint on a frozen disk): an immediate shutdown, recovered from the WAL at the next start.
  signal(pid, 'SIGQUIT');
  if (await within(exited, 5_000)) return;
  signal(pid, 'SIGKILL');
  await exited;
}

/**
 * A server left running by a previous run of the service: its watchdog was killed with it (a SIGKILL of the whole
 * process group, an OOM kill), or it is still shutting down after the watchdog's signal. It is ours if its working
 * directory is this data directory (a postmaster works in its data directory): ask it to stop and wait. A
 * postmaster.pid whose process is gone, or is now another program, is removed: PostgreSQL would refuse to start
 * next to a live process of that pid.
 */
function leftoverServers(directory: string): number[] {
  const pids = new Set<number>();
  for (const file of [join(directory, 'postmaster.pid'), join(directory, `.s.PGSQL.${SOCKET_PORT}.lock`)]) {
    const pid = Number(readLines(file)?.[0]);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    if (servesDirectory(pid, directory)) pids.add(pid);
    else rmSync(file, { force: true });
  }
  return [...pids];
}

async function stopLeftoverServers(
  pids: number[],
  log: (level: ServerLogLevel, line: string) => void,
): Promise<void> {
  for (const pid of pids) {
    log('warn', `A database server left by a previous run (pid ${pid}) is still running: stopping it`);
    signal(pid, 'SIGINT');
    if (await until(() => !alive(pid), STOP_TIMEOUT_MS)) continue;
    signal(pid, 'SIGQUIT');
    if (await until(() => !alive(pid), 5_000)) continue;
    signal(pid, 'SIGKILL');
    await until(() => !alive(pid), 5_000);
  }
}

function servesDirectory(pid: number, directory: string): boolean {
  if (!alive(pid)) return false;
  try {
    return readlinkSync(`/proc/${pid}/cwd`) === realpathSync(directory);
  } catch {
    // No /proc (macOS), or not ours to inspect: a live process we cannot check is taken as the server.
    return true;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A zombie (exited, not yet reaped by whoever adopted it) still answers signal 0.
  const stat = readLines(`/proc/${pid}/stat`)?.[0];
  return !stat || !/^\d+ \(.*\) Z /.test(stat);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

function readLines(file: string): string[] | undefined {
  try {
    return readFileSync(file, 'utf8').split('\n');
  } catch {
    return undefined;
  }
}

function levelOf(line: string): ServerLogLevel {
  if (/^(FATAL|PANIC):/.test(line)) return 'error';
  if (/^WARNING:/.test(line)) return 'warn';
  // A statement's own error is the service's to report (it logs failed queries itself).
  return 'debug';
}

async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
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
