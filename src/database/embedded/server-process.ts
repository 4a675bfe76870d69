import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { PostgresBinaries } from './postgres-binaries';
import { ServerAccount } from './server-account';

/**
 * PostgreSQL's programs as child processes of the service: initdb run to its end, and the server run under a
 * watchdog that stops it when the service dies, with its readiness, its log lines and its stop. Everything here
 * talks to processes and files of a running server; what to run it on is decided in embedded-database.ts.
 */

export type ServerLogLevel = 'debug' | 'info' | 'warn' | 'error';
export type ServerLog = (level: ServerLogLevel, line: string) => void;

export const START_TIMEOUT_MS = 60_000;
/** A fast shutdown rolls back open transactions and writes a checkpoint: seconds at most on a small database. */
export const STOP_TIMEOUT_MS = 20_000;
/** The port in the name of the server's Unix socket (.s.PGSQL.5432) when it listens on one. */
export const SOCKET_PORT = 5432;

/**
 * The server's environment: nothing of the service's (its secrets must not be readable from /proc by the server's
 * account), only a fixed locale.
 */
const SERVER_ENV = { LC_ALL: 'C' };

function asAccount(account: ServerAccount | undefined): { uid?: number; gid?: number } {
  // Node (libuv) drops root's supplementary groups when it sets uid and gid.
  return account ? { uid: account.uid, gid: account.gid } : {};
}

export function runToEnd(
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

/** A start that failed for a reason that clears up on its own: the caller tries again. */
export class RetryableStartError extends Error {}

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

export interface RunningServer {
  pid: number;
  stop(): Promise<void>;
}

export async function startServer(
  binaries: PostgresBinaries,
  directory: string,
  onSocket: boolean,
  port: number,
  account: ServerAccount | undefined,
  settings: string[],
  log: ServerLog,
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

/** Also stops a server a previous run left (leftover-servers.ts): a pid that is already gone is no error. */
export function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

/** A server's pid files (postmaster.pid, the socket's lock file) and /proc entries; undefined when absent. */
export function readLines(file: string): string[] | undefined {
  try {
    return readFileSync(file, 'utf8').split('\n');
  } catch {
    return undefined;
  }
}
