import { readlinkSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readLines, ServerLog, signal, SOCKET_PORT, STOP_TIMEOUT_MS } from './server-process';

/**
 * The clean-up before a warm start: a server that outlived its service (or the stale pid files of one that did
 * not) would keep PostgreSQL from starting on the directory. Apart from server-process.ts because these are
 * processes this run did not start and knows only by pid.
 *
 * A server left running by a previous run of the service: its watchdog was killed with it (a SIGKILL of the whole
 * process group, an OOM kill), or it is still shutting down after the watchdog's signal. It is ours if its working
 * directory is this data directory (a postmaster works in its data directory): ask it to stop and wait. A
 * postmaster.pid whose process is gone, or is now another program, is removed: PostgreSQL would refuse to start
 * next to a live process of that pid.
 */
export function leftoverServers(directory: string): number[] {
  const pids = new Set<number>();
  for (const file of [join(directory, 'postmaster.pid'), join(directory, `.s.PGSQL.${SOCKET_PORT}.lock`)]) {
    const pid = Number(readLines(file)?.[0]);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    if (servesDirectory(pid, directory)) pids.add(pid);
    else rmSync(file, { force: true });
  }
  return [...pids];
}

export async function stopLeftoverServers(pids: number[], log: ServerLog): Promise<void> {
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

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}
