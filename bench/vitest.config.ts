import { defineConfig } from 'vitest/config';
import base from '../vitest.config';

// `npm run bench -- <name>` runs bench/<name>.bench.ts: vitest's file filter picks it by name. Benchmarks print
// their figures (as ratios against a baseline measured in the same run); they assert nothing about speed.
// Spread rather than mergeConfig: merging would add the test globs to `include`, not replace them. The test run's
// projects (unit, e2e) are left out: each has an include of its own, which would replace this one.
const { projects: _testProjects, ...test } = base.test ?? {};

export default defineConfig({
  ...base,
  test: {
    ...test,
    include: ['bench/**/*.bench.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
