import {
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { PostgresBinaries } from './postgres-binaries';
import { ServerAccount } from './server-account';
import { DATABASE_USER } from './server-credentials';
import { runToEnd } from './server-process';

/**
 * The first start's extra step: creating the database cluster. Kept out of the start itself (embedded-database.ts)
 * because it runs once per DATA_DIR, and its crash safety (below) is a concern of its own.
 *
 * initdb into a directory beside the final one, renamed into place when complete: a start killed half-way leaves
 * no half-made cluster at DATA_DIR/db, only a leftover that the next start removes. `directory` is absent or
 * empty (foreign-directory.ts has checked).
 */
export async function initialize(
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
  if (existsSync(directory)) rmdirSync(directory); // empty (refuseForeignDirectory checked)
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
