'use strict';
// The operations console (src/console/web/, docs/console.md) as the three files the service serves at /console:
// dist/console/index.html, app.css and app.js — the page's TypeScript and Preact bundled by esbuild, minified, with
// nothing fetched at run time. `npm run build` and `npm start` run it; the console's tests call buildConsole().
const { build } = require('esbuild');
const { copyFileSync, mkdirSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const source = join(root, 'src', 'console', 'web');
const CONSOLE_DIR = join(root, 'dist', 'console');

async function buildConsole(outdir = CONSOLE_DIR) {
  mkdirSync(outdir, { recursive: true });
  await build({
    absWorkingDir: root,
    entryPoints: [join(source, 'main.tsx')],
    outfile: join(outdir, 'app.js'),
    bundle: true,
    platform: 'browser',
    format: 'iife',
    // Browsers of the last few years (what a store manager's phone or an HQ desktop runs).
    target: 'es2020',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'app.css']) copyFileSync(join(source, file), join(outdir, file));
  return outdir;
}

module.exports = { buildConsole, CONSOLE_DIR };

if (require.main === module) {
  buildConsole().catch(() => process.exit(1));
}
