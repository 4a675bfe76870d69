import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// SWC compiles the tests: Nest's DI needs decorator metadata, which esbuild (Vite's default) does not emit.
export default defineConfig({
  plugins: [
    swc.vite({
      module: { type: 'es6' },
      jsc: {
        target: 'es2023',
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
      },
    }),
  ],
  test: {
    include: [
      'src/**/*.spec.ts',
      'simulator/**/*.spec.ts',
      'bench/**/*.spec.ts',
      'test/**/*.spec.ts',
      'test/**/*.e2e-spec.ts',
    ],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
