import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Keys generated once and kept in `DATA_DIR/keys` (mode 0600) for the embedded set-up, so that a first
 * `npm start` needs no configuration and a restart keeps its tokens and sealed secrets valid.
 */
export interface LocalKey {
  value: string;
  generated: boolean;
}

export function loadOrCreateLocalKey(dataDir: string, fileName: string, create: () => string): LocalKey {
  const directory = join(dataDir, 'keys');
  const file = join(directory, fileName);
  if (existsSync(file)) {
    return { value: readFileSync(file, 'utf8').trim(), generated: false };
  }
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const value = create();
  // 'wx' fails if another process created the file in between; then read theirs.
  try {
    writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return { value: readFileSync(file, 'utf8').trim(), generated: false };
    }
    throw error;
  }
  chmodSync(file, 0o600);
  return { value, generated: true };
}

export const newJwtSecret = (): string => randomBytes(48).toString('base64url');
export const newEncryptionKey = (): string => randomBytes(32).toString('base64');
