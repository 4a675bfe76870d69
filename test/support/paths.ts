import { join } from 'node:path';

/** The repository's root. */
export const ROOT_DIR = join(__dirname, '..', '..');

/** Scratch space of the test suite, inside the repository (gitignored) so that it is easy to find and clean. */
export const TEST_TMP_ROOT = join(__dirname, '..', '..', '.tmp', 'test');
/** The DATA_DIR of the embedded server that global-setup.ts starts for the run. */
export const SUITE_SERVER_DIR = join(TEST_TMP_ROOT, 'server');
