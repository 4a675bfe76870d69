import { describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../test/support/paths';
import { startCommand, startCommandOf } from './start-command';

describe('startCommandOf (how the benchmarks start the service)', () => {
  it("reads Node's flags and the file from start:prod", () => {
    expect(
      startCommandOf({ 'start:prod': 'node --max-semi-space-size=8 --enable-source-maps dist/service.js' }),
    ).toEqual({
      nodeFlags: ['--max-semi-space-size=8', '--enable-source-maps'],
      main: 'dist/service.js',
    });
    expect(startCommandOf({ 'start:prod': 'node dist/service.js' })).toEqual({
      nodeFlags: [],
      main: 'dist/service.js',
    });
  });

  it('refuses a script of another shape rather than measure something else', () => {
    expect(() => startCommandOf({ 'start:prod': 'NODE_ENV=production node dist/service.js' })).toThrow(
      /start:prod/,
    );
  });

  it('names the script it read: start:prod, else start', () => {
    expect(() => startCommandOf({ start: 'nest start' })).toThrow(/^start is not "node/);
    expect(() => startCommandOf({ 'start:prod': 'nest start', start: 'node dist/service.js' })).toThrow(
      /^start:prod is not "node/,
    );
    expect(startCommandOf({ start: 'node --flag dist/main.js' })).toEqual({
      nodeFlags: ['--flag'],
      main: 'dist/main.js',
    });
    expect(() => startCommandOf({})).toThrow(/neither a start:prod nor a start script/);
  });

  it("reads this checkout's package.json", () => {
    expect(startCommand(ROOT_DIR).main).toBe('dist/service.js');
  });
});
