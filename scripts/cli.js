'use strict';
// Runs a command-line entry point (`npm run token`, `npm run migration:run`, `npm run sim`) without building
// anything, so dist/ of a service that is running is never touched:
// - in a checkout, the TypeScript source runs, compiled file by file as it is required by SWC (@swc/core, a dev
//   dependency already used by the tests and `nest build`), with the same options as the test runner;
// - in the Docker image, which holds the build and no sources, the built file runs.
// A require hook on @swc/core rather than @swc-node/register: the latter loads the TypeScript compiler at start,
// which alone takes about a second, half the budget of `npm run token`.
const { existsSync, readFileSync } = require('node:fs');
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
  compileTypeScriptOnRequire();
  file = source;
} else if (existsSync(built)) {
  file = built;
} else {
  process.stderr.write(`Neither ${entry}.ts nor dist/${entry}.js exists here.\n`);
  process.exit(1);
}
process.argv = [process.argv[0], file, ...args];
require(file);

function compileTypeScriptOnRequire() {
  const { transformSync } = require('@swc/core');
  const options = {
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
    jsc: {
      target: 'es2023',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
    },
  };
  process.setSourceMapsEnabled(true);
  require('reflect-metadata');
  require.extensions['.ts'] = (module, filename) => {
    const { code } = transformSync(readFileSync(filename, 'utf8'), { ...options, filename });
    module._compile(code, filename);
  };
}
