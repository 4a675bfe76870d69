'use strict';
// Lets a child process run the service from its TypeScript sources (`node -r ./test/support/ts-register.js
// src/main.ts`), compiled by SWC with the same decorator settings as vitest.config.ts: tests that must kill and
// restart a real process need no build step.
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
    jsc: {
      target: 'es2023',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
    },
  });
  module._compile(code, filename);
};
