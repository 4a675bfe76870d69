import { defineConfig } from 'vitest/config';
import base from '../../vitest.config';

// `npm run test:reliability`: the cluster suite of test/reliability/ alone (minutes long: not part of `npm test`).
// It needs a PostgreSQL server (TEST_DATABASE_URL, default the local one) and no embedded template, so no globalSetup.
// Not the projects of `npm test`: one project of its own.
const { projects: _projects, ...test } = base.test ?? {};

export default defineConfig({
  ...base,
  test: {
    ...test,
    include: ['test/reliability/**/*.test.ts'],
    globalSetup: [],
    testTimeout: 900_000,
    hookTimeout: 300_000,
  },
});
