import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** How `npm run start:prod` starts the service: Node's own flags, and the file it runs (relative to the root). */
export interface StartCommand {
  nodeFlags: string[];
  main: string;
}

/**
 * The benchmarks run the service as its users do in production, flags included (the heap's sizes change what the
 * memory columns say): `node [--flag …] <file>.js` read from package.json's start:prod (start, else). A script of
 * another shape is an error, not a guess that would measure something else.
 */
export function startCommandOf(scripts: Record<string, string | undefined>): StartCommand {
  const name =
    scripts['start:prod'] !== undefined ? 'start:prod' : scripts.start !== undefined ? 'start' : null;
  if (name === null) throw new Error('package.json has neither a start:prod nor a start script');
  const script = scripts[name]!;
  const match = /^node((?:\s+--\S+)*)\s+(\S+\.js)$/.exec(script.trim());
  if (!match) throw new Error(`${name} is not "node [--flag ...] <file>.js": ${JSON.stringify(script)}`);
  return { nodeFlags: match[1].trim().split(/\s+/).filter(Boolean), main: match[2] };
}

/** The start command of the checkout at `rootDir`. */
export function startCommand(rootDir: string): StartCommand {
  const { scripts } = JSON.parse(readFileSync(join(rootDir, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  return startCommandOf(scripts);
}
