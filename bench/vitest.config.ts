import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../vitest.config';

// `npm run bench -- <name>` runs bench/<name>.bench.ts: vitest's file filter picks it by name. Benchmarks print
// their figures (as ratios against a baseline measured in the same run); they assert nothing about speed.
export default mergeConfig(
  base,
  defineConfig({
    test: {
      include: ['bench/**/*.bench.ts'],
      testTimeout: 600_000,
      hookTimeout: 600_000,
    },
  }),
);
