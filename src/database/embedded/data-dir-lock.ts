import { hostname } from 'node:os';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Refuses a second process on the same data directory: two services would each start (or stop) the embedded
 * server of the other, and share its keys. A pid file rather than an mtime-based lock (such as proper-lockfile): after a crash the owner is known
 * to be dead at once, so a restart need not wait for the lock to go stale.
 */
export class DataDirLockedError extends Error {
  constructor(directory: string, owner: string) {
    super(
      `The data directory ${directory} is in use by another process (${owner}). ` +
        'Stop that process, or give this one another DATA_DIR.',
    );
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  release(): void;
}

export function lockDataDir(directory: string): DataDirLock {
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const file = join(directory, 'service.lock');
  const mine = JSON.stringify({ pid: process.pid, host: hostname() });

  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(file, mine, { flag: 'wx', mode: 0o600 });
      return { release: () => releaseIfMine(file, mine) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readOwner(file);
    if (owner && ownerIsAlive(owner)) {
      throw new DataDirLockedError(directory, `pid ${owner.pid} on ${owner.host}`);
    }
    // The owner died without releasing: take the lock over. Renaming first means only one of several
    // processes racing for a stale lock removes it.
    const stale = `${file}.stale-${process.pid}`;
    try {
      renameSync(file, stale);
      rmSync(stale, { force: true });
    } catch {
      // Someone else took it over first; try again.
    }
  }
  throw new DataDirLockedError(directory, 'another process starting at the same moment');
}

interface Owner {
  pid: number;
  host: string;
}

function readOwner(file: string): Owner | undefined {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as Partial<Owner>;
    return typeof owner.pid === 'number' && typeof owner.host === 'string'
      ? { pid: owner.pid, host: owner.host }
      : undefined;
  } catch {
    return undefined;
  }
}

function ownerIsAlive(owner: Owner): boolean {
  // A lock from another host (a shared volume) cannot be checked: treat it as held.
  if (owner.host !== hostname()) return true;
  if (owner.pid === process.pid) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function releaseIfMine(file: string, mine: string): void {
  try {
    if (readFileSync(file, 'utf8') === mine) rmSync(file, { force: true });
  } catch {
    // Already gone.
  }
}
