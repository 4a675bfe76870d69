import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, statSync } from 'node:fs';
import { dirname, parse } from 'node:path';
import { EmbeddedDatabaseError } from './embedded-database-error';

/** The OS account the PostgreSQL server runs as, when the service itself runs as root. */
export interface ServerAccount {
  name: string;
  uid: number;
  gid: number;
}

/**
 * PostgreSQL refuses to run as root ("root" execution of the PostgreSQL server is not permitted). As root the
 * service runs it as the unprivileged account `postgres`, the name Debian's and the official Docker image's
 * packages use: reused when it exists (a machine with a PostgreSQL package), otherwise created as a system account
 * without a home or a login shell. As any other user, the server runs as that user: undefined.
 */
export const SERVER_ACCOUNT_NAME = 'postgres';

export function serverAccount(name = SERVER_ACCOUNT_NAME): ServerAccount | undefined {
  if (process.getuid?.() !== 0) return undefined;
  return lookUpAccount(name) ?? create(name);
}

/**
 * One `getent passwd NAME` ("postgres:x:104:108:PostgreSQL administrator,,,:/var/lib/postgresql:/bin/bash"): a fixed,
 * colon-separated format in every locale, where `id NAME` translates its labels ("UID=0(root) GID=0(root)" under
 * LANGUAGE=nl). One program run, since each one holds up a start. Exported for its spec.
 */
export function lookUpAccount(name: string): ServerAccount | undefined {
  try {
    const [account, , uid, gid] = execFileSync('getent', ['passwd', name], {
      encoding: 'utf8',
      stdio: 'pipe',
    }).split(':');
    return account === name && /^\d+$/.test(uid ?? '') && /^\d+$/.test(gid ?? '')
      ? { name, uid: Number(uid), gid: Number(gid) }
      : undefined;
  } catch {
    // exit status 2: no such account
    return undefined;
  }
}

function create(name: string): ServerAccount {
  const attempts: Array<[string, string[]]> = [
    // shadow-utils (Debian, Ubuntu, Fedora)
    ['useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', name]],
    // BusyBox (Alpine)
    ['adduser', ['-S', '-D', '-H', '-s', '/sbin/nologin', name]],
  ];
  for (const [command, args] of attempts) {
    try {
      execFileSync(command, args, { stdio: 'pipe' });
    } catch {
      continue;
    }
    const account = lookUpAccount(name);
    if (account) return account;
  }
  throw new EmbeddedDatabaseError(
    `Running as root, the embedded PostgreSQL needs an unprivileged OS account "${name}" and could not create ` +
      `one (useradd/adduser failed): create it, run the service as a normal user, or set DATABASE_URL.`,
  );
}

/**
 * The server's account must be able to enter every directory above its binaries and its data directory. As root a
 * checkout under /root (mode 0700) is out of its reach: say so in one line instead of failing inside initdb.
 * Mode bits only (no ACLs or supplementary groups): what a default system has.
 */
export function assertReachable(account: ServerAccount, paths: string[]): void {
  for (const path of paths) {
    const blocked = firstClosedAncestor(account, path);
    if (blocked) {
      throw new EmbeddedDatabaseError(
        `The embedded PostgreSQL runs as the OS user "${account.name}" (the service runs as root), which cannot ` +
          `enter ${blocked} on the way to ${path}: keep the service and DATA_DIR in directories other users can ` +
          'enter (e.g. /opt, /srv, /var/lib), run the service as a normal user, or set DATABASE_URL.',
      );
    }
  }
}

function firstClosedAncestor(account: ServerAccount, path: string): string | undefined {
  const root = parse(path).root;
  const chain: string[] = [];
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    chain.unshift(dir);
    if (dir === root) break;
  }
  for (const dir of chain) {
    const stat = statSync(dir, { throwIfNoEntry: false });
    if (!stat) return undefined;
    const bit = stat.uid === account.uid ? 0o100 : stat.gid === account.gid ? 0o010 : /* others */ 0o001;
    if ((stat.mode & bit) === 0) return dir;
  }
  return undefined;
}

/**
 * DATA_DIR is made 0700 for the service's keys; the server's account must still pass through it to DATA_DIR/db.
 * Opening it to the server's group for traversal only (0710, no listing) lets it do so without opening it to
 * anyone else; keys/ and service.lock keep their own 0700/0600.
 */
export function letServerThrough(account: ServerAccount, dataDir: string): void {
  const stat = statSync(dataDir);
  const reachable =
    stat.uid === account.uid ||
    (stat.gid === account.gid && (stat.mode & 0o010) !== 0) ||
    (stat.mode & 0o001) !== 0;
  if (reachable) return;
  chownSync(dataDir, stat.uid, account.gid);
  chmodSync(dataDir, (stat.mode & 0o7777) | 0o010);
}
