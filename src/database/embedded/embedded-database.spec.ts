import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT_DIR, TEST_TMP_ROOT } from '../../../test/support/paths';
import { waitFor } from '../../../test/support/wait-for';
import { DataDirLockedError } from './data-dir-lock';
import { EmbeddedDatabase, PASSWORD_FILE, startEmbeddedDatabase } from './embedded-database';
import { EmbeddedDatabaseError } from './embedded-database-error';
import { findPostgresBinaries, restoreLibraryLinks } from './postgres-binaries';

const dirs: string[] = [];
function freshDataDir(prefix = 'embedded-'): string {
  mkdirSync(TEST_TMP_ROOT, { recursive: true });
  const dir = mkdtempSync(join(TEST_TMP_ROOT, prefix));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function query<T>(url: string, text: string): Promise<T[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

function start(dataDir: string): Promise<EmbeddedDatabase> {
  return startEmbeddedDatabase(join(dataDir, 'db'), dataDir, { durable: false });
}

/** Real uid of a process, from /proc. */
function uidOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Uid:'))!;
  return Number(line.split(/\s+/)[1]);
}

function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((candidate) => {
      try {
        return parentOf(candidate) === pid;
      } catch {
        return false;
      }
    });
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
}

interface Holder {
  child: ChildProcess;
  serverPid: number;
  url: string;
}

/** embedded-database-holder.ts in a process of its own, as `account` when given (the test then runs as root). */
async function startHolder(dataDir: string, account?: { uid: number; gid: number }): Promise<Holder> {
  const child = spawn(
    process.execPath,
    [
      '-r',
      join(ROOT_DIR, 'scripts/ts-register.js'),
      join(ROOT_DIR, 'test/support/embedded-database-holder.ts'),
      dataDir,
    ],
    { cwd: ROOT_DIR, stdio: ['pipe', 'pipe', 'pipe'], ...(account ?? {}) },
  );
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the holder exited (${code}): ${errors}`)));
  });
  const { serverPid, url } = JSON.parse(line) as { serverPid: number; url: string };
  return { child, serverPid, url };
}

function accountOf(name: string): { uid: number; gid: number } {
  return {
    uid: Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim()),
  };
}

describe('the embedded PostgreSQL', () => {
  it('creates a cluster on a fresh DATA_DIR: an unprivileged server on a socket in it only, a password in DATA_DIR/keys (0600), kept across restarts', async () => {
    const dataDir = freshDataDir();
    // eslint-disable-next-line no-restricted-properties -- a variable of the service's environment, to look for
    process.env.EMBEDDED_SPEC_SENTINEL = 'must-not-reach-the-server';
    const first = await start(dataDir);
    try {
      expect(first.created).toBe(true);
      // Never root: as root the server runs as the account `postgres`, which owns DATA_DIR/db.
      const serverUid = uidOf(first.serverPid);
      expect(serverUid).not.toBe(0);
      expect(statSync(join(dataDir, 'db')).uid).toBe(serverUid);
      if (process.getuid!() === 0) expect(serverUid).toBe(accountOf('postgres').uid);
      else expect(serverUid).toBe(process.getuid!());
      // Nothing of the service's environment (its secrets) is readable in the server's.
      expect(readFileSync(`/proc/${first.serverPid}/environ`, 'utf8')).not.toContain(
        'EMBEDDED_SPEC_SENTINEL',
      );

      const password = readFileSync(join(dataDir, 'keys', PASSWORD_FILE), 'utf8').trim();
      expect(password).toMatch(/^[0-9a-f]{48}$/);
      expect(statSync(join(dataDir, 'keys', PASSWORD_FILE)).mode & 0o777).toBe(0o600);
      const [settings] = await query<{ listen: string; sockets: string; auth: string }>(
        first.url,
        `SELECT current_setting('listen_addresses') AS listen, current_setting('unix_socket_directories') AS sockets,
                (SELECT string_agg(DISTINCT auth_method, ',') FROM pg_hba_file_rules) AS auth`,
      );
      expect(settings).toEqual({ listen: '', sockets: `"${join(dataDir, 'db')}"`, auth: 'scram-sha-256' });
      const wrong = new URL(first.url);
      wrong.password = 'not-the-password';
      await expect(query(wrong.href, 'SELECT 1')).rejects.toThrow(/password authentication failed/);

      await query(first.url, `CREATE TABLE kept (v text); INSERT INTO kept VALUES ('across restarts')`);
    } finally {
      // eslint-disable-next-line no-restricted-properties
      delete process.env.EMBEDDED_SPEC_SENTINEL;
      await first.stop();
    }
    expect(running(first.serverPid)).toBe(false);
    expect(existsSync(join(dataDir, 'service.lock'))).toBe(false);

    const second = await start(dataDir);
    try {
      expect(second.created).toBe(false);
      expect(await query(second.url, 'SELECT v FROM kept')).toEqual([{ v: 'across restarts' }]);
    } finally {
      await second.stop();
    }
  });

  it('runs as a normal user: the server as that user', async () => {
    // As root the holder process runs as `nobody`; as any other user, as that user.
    const asRoot = process.getuid!() === 0;
    const account = asRoot ? accountOf('nobody') : undefined;
    const dataDir = freshDataDir();
    if (account) chownSync(dataDir, account.uid, account.gid);
    const holder = await startHolder(dataDir, account);
    try {
      const expected = account?.uid ?? process.getuid!();
      expect(uidOf(holder.child.pid!)).toBe(expected);
      expect(uidOf(holder.serverPid)).toBe(expected);
      expect(await query(holder.url, 'SELECT current_user AS who')).toEqual([{ who: 'postgres' }]);
    } finally {
      holder.child.stdin!.end();
      await new Promise((resolve) => holder.child.once('exit', resolve));
    }
    expect(running(holder.serverPid)).toBe(false);
  });

  it('stops its server when the service is killed (SIGKILL), and the next start finds the data', async () => {
    const dataDir = freshDataDir();
    const holder = await startHolder(dataDir);
    await query(holder.url, `CREATE TABLE kept (v text); INSERT INTO kept VALUES ('before the kill')`);
    holder.child.kill('SIGKILL');
    // The watchdog asks for a fast shutdown, which writes a checkpoint: seconds alone, but a CI run's full suite on
    // both databases once kept the disk busy past 15 s (the server then stopped on its own). A bound, not a timing.
    await waitFor(() => !running(holder.serverPid), 'the orphaned server to stop', 60_000).catch(
      (error: unknown) => {
        if (running(holder.serverPid)) process.kill(holder.serverPid, 'SIGQUIT'); // not left running by a failed test
        throw error;
      },
    );

    const next = await start(dataDir);
    try {
      expect(await query(next.url, 'SELECT v FROM kept')).toEqual([{ v: 'before the kill' }]);
    } finally {
      await next.stop();
    }
  });

  it('the next start stops a server left running without its watchdog, after checking it serves this DATA_DIR', async () => {
    const dataDir = freshDataDir();
    const holder = await startHolder(dataDir);
    // Kill the watchdog shell and its watcher first, then the service: the server is left alone, still serving.
    const watchdog = parentOf(holder.serverPid);
    for (const pid of [...childrenOf(watchdog).filter((pid) => pid !== holder.serverPid), watchdog]) {
      process.kill(pid, 'SIGKILL');
    }
    holder.child.kill('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(running(holder.serverPid)).toBe(true);

    const lines: string[] = [];
    const next = await startEmbeddedDatabase(join(dataDir, 'db'), dataDir, {
      durable: false,
      log: (_level, line) => lines.push(line),
    }).catch((error: unknown) => {
      process.kill(holder.serverPid, 'SIGQUIT'); // not left running by a failed test
      throw error;
    });
    try {
      expect(running(holder.serverPid)).toBe(false);
      expect(lines.join('\n')).toContain(`left by a previous run (pid ${holder.serverPid})`);
      expect(await query(next.url, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
    } finally {
      await next.stop();
    }
  });

  it('a stale postmaster.pid (its pid now another program) does not stop the next start', async () => {
    const dataDir = freshDataDir();
    const first = await start(dataDir);
    const pidFile = readFileSync(join(dataDir, 'db', 'postmaster.pid'), 'utf8');
    await first.stop();
    // As after a crash: the file is still there, and its pid is alive as something else (this test process).
    writeFileSync(join(dataDir, 'db', 'postmaster.pid'), pidFile.replace(/^\d+/, String(process.pid)));
    const next = await start(dataDir);
    try {
      expect(await query(next.url, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
      expect(process.kill(process.pid, 0)).toBe(true);
    } finally {
      await next.stop();
    }
  });

  it('two services never share one DATA_DIR', async () => {
    const dataDir = freshDataDir();
    const first = await start(dataDir);
    try {
      await expect(start(dataDir)).rejects.toThrow(DataDirLockedError);
    } finally {
      await first.stop();
    }
  });

  it('refuses a directory of the earlier embedded database (PGlite) in one line that says how to move it, and leaves it as it is', async () => {
    const dataDir = freshDataDir();
    // PGlite's layout: a PostgreSQL cluster in DATA_DIR/db (PG_VERSION 18, its own pg_control), no password.
    const db = join(dataDir, 'db');
    mkdirSync(join(db, 'global'), { recursive: true });
    writeFileSync(join(db, 'PG_VERSION'), '18\n', { mode: 0o666 });
    writeFileSync(join(db, 'global', 'pg_control'), Buffer.alloc(8192, 1), { mode: 0o666 });
    const before = readdirSync(db, { recursive: true }).sort();

    const error = await start(dataDir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EmbeddedDatabaseError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toContain(`mv '${db}' '${db}-pglite'`);
    expect(message).toMatch(/PGlite/);
    expect(readdirSync(db, { recursive: true }).sort()).toEqual(before);
    expect(readFileSync(join(db, 'global', 'pg_control'))).toEqual(Buffer.alloc(8192, 1));
    expect(existsSync(join(dataDir, 'keys', PASSWORD_FILE))).toBe(false);
    expect(existsSync(join(dataDir, 'service.lock'))).toBe(false);
  });

  it('a cluster of its own whose password file was deleted is not taken for PGlite: one line says to restore the file', async () => {
    const dataDir = freshDataDir();
    const first = await start(dataDir);
    await first.stop();
    const passwordFile = join(dataDir, 'keys', PASSWORD_FILE);
    unlinkSync(passwordFile);
    const error = await start(dataDir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EmbeddedDatabaseError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).not.toMatch(/PGlite/);
    expect(message).toContain(`password file ${passwordFile} is missing: restore that file`);
    expect(existsSync(join(dataDir, 'db', 'PG_VERSION'))).toBe(true);
  });

  it('listens on 127.0.0.1 with its password where DATA_DIR is too deep for a Unix socket', async () => {
    const parent = freshDataDir();
    chmodSync(parent, 0o755); // a parent the server's account (as root: postgres) may pass through
    const deep = join(parent, 'a-directory-name-long-enough'.repeat(3));
    mkdirSync(deep);
    const database = await start(deep);
    try {
      const url = new URL(database.url);
      expect(url.hostname).toBe('127.0.0.1');
      expect(Number(url.port)).toBeGreaterThan(0);
      const [settings] = await query<{ listen: string; sockets: string }>(
        database.url,
        `SELECT current_setting('listen_addresses') AS listen, current_setting('unix_socket_directories') AS sockets`,
      );
      expect(settings).toEqual({ listen: '127.0.0.1', sockets: '' });
    } finally {
      await database.stop();
    }
  });

  it('as root, a DATA_DIR inside a directory the server cannot enter gets one line that says so (as another user it starts)', async () => {
    const closed = freshDataDir(); // mkdtemp: 0700, closed to every other account
    const dataDir = join(closed, 'data');
    if (process.getuid!() === 0) {
      const error = await start(dataDir).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(EmbeddedDatabaseError);
      expect((error as Error).message).not.toContain('\n');
      expect((error as Error).message).toContain(`runs as the OS user "postgres"`);
      expect((error as Error).message).toContain(`cannot enter ${closed} on the way to ${dataDir}`);
      expect(existsSync(join(dataDir, 'db'))).toBe(false);
    } else {
      const database = await start(dataDir);
      await database.stop();
    }
  });

  it('a platform without binaries gets one line that names DATABASE_URL', () => {
    expect(() => findPostgresBinaries('aix', 'ppc64')).toThrow(EmbeddedDatabaseError);
    expect(() => findPostgresBinaries('aix', 'ppc64')).toThrow(
      /^No embedded PostgreSQL for this platform \(aix-ppc64.*set DATABASE_URL to a PostgreSQL server/,
    );
  });

  it("makes the libraries' links where the package's install script did not run", () => {
    const { postgres } = findPostgresBinaries();
    const native = dirname(dirname(postgres));
    const copy = join(freshDataDir('native-'), 'native');
    cpSync(native, copy, { recursive: true, verbatimSymlinks: true });
    const links = readdirSync(join(copy, 'lib')).filter((name) =>
      lstatSync(join(copy, 'lib', name)).isSymbolicLink(),
    );
    expect(links).toContain('libicuuc.so.60');
    for (const name of links) unlinkSync(join(copy, 'lib', name));
    expect(() => execFileSync(join(copy, 'bin', 'postgres'), ['--version'], { stdio: 'pipe' })).toThrow(
      /libicu/,
    );
    restoreLibraryLinks(copy);
    expect(execFileSync(join(copy, 'bin', 'postgres'), ['--version'], { encoding: 'utf8' })).toMatch(
      /PostgreSQL\) 18\./,
    );
  });
});
