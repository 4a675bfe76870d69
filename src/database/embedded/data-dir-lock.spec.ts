import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from './data-dir-lock';

describe('lockDataDir', () => {
  it('refuses a second holder while the first is alive, and frees the directory on release', () => {
    const dir = mkdtempSync(join(tmpdir(), 'notify-lock-'));
    const lock = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir)).toThrow(/is in use by another process \(pid \d+/);
    lock.release();
    expect(existsSync(join(dir, 'service.lock'))).toBe(false);
    lockDataDir(dir).release();
  });

  it('takes over the lock of a process that died without releasing it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'notify-lock-'));
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const deadPid = Number(dead.stdout.toString());
    writeFileSync(join(dir, 'service.lock'), JSON.stringify({ pid: deadPid, host: hostname() }));
    const lock = lockDataDir(dir);
    lock.release();
  });
});
