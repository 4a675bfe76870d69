'use strict';
// Runs TypeScript sources without a build step (`node -r ./scripts/ts-register.js src/main.ts`): each `.ts` file is
// compiled by SWC as it is required, with the same decorator settings as vitest.config.ts. Used by scripts/cli.js
// (`npm run token`, `migration:run`, `sim`) and by the tests that must kill and restart the service as a real
// process. A hook on @swc/core rather than @swc-node/register, which loads the TypeScript compiler first: that
// alone takes about a second.
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');

process.setSourceMapsEnabled(true);
require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
    jsc: {
      target: 'es2023',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
    },
  });
  module._compile(code, filename);
};
