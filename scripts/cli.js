'use strict';
// Runs a command-line entry point (`npm run token`, `npm run migration:run`, `npm run sim`) without building
// anything, so dist/ of a service that is running is never touched:
// - in a checkout, the TypeScript source runs, compiled file by file by SWC as it is required (./ts-register.js);
// - in the Docker image, which holds the build and no sources (nor the dev dependencies), the built file runs.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const ENTRY_POINTS = {
  token: 'src/auth/token.cli',
  'migration:run': 'src/database/migrate.cli',
  sim: 'simulator/main',
};

const [name, ...args] = process.argv.slice(2);
const entry = ENTRY_POINTS[name];
if (!entry) {
  process.stderr.write(`Usage: node scripts/cli.js <${Object.keys(ENTRY_POINTS).join('|')}> [options]\n`);
  process.exit(2);
}
const root = join(__dirname, '..');
const source = join(root, `${entry}.ts`);
const built = join(root, 'dist', `${entry}.js`);
let file;
if (existsSync(source)) {
  require('./ts-register');
  file = source;
} else if (existsSync(built)) {
  file = built;
} else {
  process.stderr.write(`Neither ${entry}.ts nor dist/${entry}.js exists here.\n`);
  process.exit(1);
}
process.argv = [process.argv[0], file, ...args];
require(file);
