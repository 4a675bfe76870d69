import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// SWC compiles the tests: Nest's DI needs decorator metadata, which esbuild (Vite's default) does not emit.
const plugins = [
  swc.vite({
    module: { type: 'es6' },
    jsc: {
      target: 'es2023',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
    },
  }),
];

/** What every project of the run shares: forks, the timeouts, the embedded server (some unit specs query it too). */
const shared = {
  globalSetup: ['test/support/global-setup.ts'],
  pool: 'forks' as const,
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

// Two projects: `npm run test:unit` (the specs beside the code, the simulator's and the bench's, test/**/*.spec.ts)
// and `npm run test:e2e` (the service through HTTP, test/**/*.e2e-spec.ts); `npm test` runs both.
// test/reliability/ has a config of its own.
export default defineConfig({
  plugins,
  test: {
    ...shared,
    projects: [
      {
        plugins,
        test: {
          ...shared,
          name: 'unit',
          include: ['src/**/*.spec.ts', 'simulator/**/*.spec.ts', 'bench/**/*.spec.ts', 'test/**/*.spec.ts'],
        },
      },
      { plugins, test: { ...shared, name: 'e2e', include: ['test/**/*.e2e-spec.ts'] } },
    ],
  },
});
