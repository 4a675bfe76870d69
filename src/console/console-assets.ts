import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A file of the built console, ready to send. */
export interface ConsoleFile {
  body: Buffer;
  contentType: string;
}

const CONTENT_TYPES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

/** The files the console is made of (scripts/console-bundle.js writes them): nothing else is ever served. */
export const CONSOLE_FILES = Object.keys(CONTENT_TYPES);

/**
 * The built console in `dist/console/` of the package the service runs from: found from this file's place, which is
 * src/console/ (tests), dist/src/console/ (`npm start`) or dist/ (the bundle, `npm run start:prod`, the image).
 */
export function consoleDirectory(from: string = __dirname): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'dist', 'console');
  }
  return join(from, 'console');
}

/**
 * Reads a file of the console on its first request and keeps it (a few hundred kilobytes in all). Undefined when it is
 * not one of the console's files, or when the console was not built.
 */
export class ConsoleAssets {
  private readonly files = new Map<string, ConsoleFile>();

  constructor(private readonly directory: string) {}

  get(name: string): ConsoleFile | undefined {
    const contentType = CONTENT_TYPES[name];
    if (!contentType) return undefined;
    let file = this.files.get(name);
    if (!file) {
      const path = join(this.directory, name);
      if (!existsSync(path)) return undefined;
      file = { body: readFileSync(path), contentType };
      this.files.set(name, file);
    }
    return file;
  }
}
