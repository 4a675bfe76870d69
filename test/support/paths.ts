import { join } from 'node:path';

/** The repository's root. */
export const ROOT_DIR = join(__dirname, '..', '..');

/** Scratch space of the test suite, inside the repository (gitignored) so that it is easy to find and clean. */
export const TEST_TMP_ROOT = join(__dirname, '..', '..', '.tmp', 'test');
