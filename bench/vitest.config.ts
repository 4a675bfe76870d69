import { defineConfig } from 'vitest/config';
import base from '../vitest.config';

// `npm run bench -- <name>` runs bench/<name>.bench.ts: vitest's file filter picks it by name. Benchmarks print
// their figures (as ratios against a baseline measured in the same run); they assert nothing about speed.
// Spread rather than mergeConfig: merging would add the test globs to `include`, not replace them.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['bench/**/*.bench.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
