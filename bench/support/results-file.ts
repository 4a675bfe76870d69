import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

/**
 * Writes a benchmark's results to bench/results/<date>-<name>.json (the time added when that file exists), with
 * what any reader of an old result needs besides the figures: the command, the machine, the commit (and whether
 * the code measured had uncommitted changes), the load average when it was written. Numbers rounded to 3 decimals.
 */
export function writeResultsFile(
  rootDir: string,
  name: string,
  startedAt: Date,
  fields: { benchmark: string; command: string } & Record<string, unknown>,
): string {
  const directory = join(rootDir, 'bench', 'results');
  mkdirSync(directory, { recursive: true });
  const stamp = startedAt.toISOString();
  const base = join(directory, `${stamp.slice(0, 10)}-${name}`);
  const file = existsSync(`${base}.json`)
    ? `${base}-${stamp.slice(11, 19).replaceAll(':', '')}.json`
    : `${base}.json`;
  const [cpu] = cpus();
  const document = {
    ...fields,
    invoked_as: process.env.BENCH_COMMAND ?? null,
    started_at: stamp,
    machine: {
      cpus: cpus().length,
      cpu_model: cpu?.model ?? 'unknown',
      memory_mib: Math.round(totalmem() / 1024 / 1024),
      node: process.version,
      load_average_at_end: loadavg(),
    },
    git: revision(rootDir),
  };
  const rounded = (_key: string, value: unknown) =>
    typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 1000) / 1000 : value;
  writeFileSync(file, `${JSON.stringify(document, rounded, 2)}\n`);
  return file;
}

function revision(rootDir: string): { commit: string; dirty: boolean } {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: rootDir, encoding: 'utf8' }).trim();
  try {
    return {
      commit: git('rev-parse', 'HEAD'),
      dirty: git('status', '--porcelain', '--', 'src', 'simulator', 'bench', 'package.json') !== '',
    };
  } catch {
    return { commit: 'unknown', dirty: true };
  }
}
