'use strict';
// `npm run bench -- <name> [--flag value …]`: vitest refuses flags it does not know, so the benchmarks' flags become
// environment variables (`--bots 50` → BOTS=50, `--pg-url x` → PG_URL=x) and the names pick bench/<name>.bench.ts
// by vitest's file filter. The same variables may be set directly instead of the flags.
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

const FLAGS = [
  'db',
  'bots',
  'rate',
  'duration',
  'warmup',
  'reports',
  'clients',
  'drain',
  'pg-url',
  'profile',
  'rounds',
  'groups',
  'service',
];
const USAGE = `usage: npm run bench -- <name …> [${FLAGS.map((flag) => `--${flag} <value>`).join('] [')}]`;

const root = join(__dirname, '..');
const args = process.argv.slice(2);
const env = { ...process.env, BENCH_COMMAND: ['npm run bench --', ...args].join(' ') };
const names = [];
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (!arg.startsWith('--')) {
    names.push(arg);
    continue;
  }
  const [flag, inline] = arg.slice(2).split(/=(.*)/s, 2);
  const value = inline ?? args[++i];
  if (!FLAGS.includes(flag) || value === undefined || value.startsWith('--')) {
    console.error(
      FLAGS.includes(flag) ? `--${flag} needs a value\n${USAGE}` : `unknown flag ${arg}\n${USAGE}`,
    );
    process.exit(2);
  }
  env[flag.toUpperCase().replaceAll('-', '_')] = value;
}

const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const run = spawnSync(process.execPath, [vitest, 'run', '--config', 'bench/vitest.config.ts', ...names], {
  cwd: root,
  env,
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
