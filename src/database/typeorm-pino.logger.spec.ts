import { describe, expect, it } from 'vitest';
import { scrubParameters } from './typeorm-pino.logger';

describe('scrubParameters', () => {
  it('keeps numbers, booleans, null and dates, and reduces text to its length', () => {
    const at = new Date('2026-01-02T03:04:05.000Z');
    expect(scrubParameters([7, true, null, undefined, at, 'SECabcdef0123456789', 10n])).toEqual([
      7,
      true,
      null,
      null,
      '2026-01-02T03:04:05.000Z',
      '<text, 19 chars>',
      '10',
    ]);
  });

  it('goes into arrays and named parameters, and never shows an object or bytes', () => {
    expect(
      scrubParameters({ ids: [1, 2], token: 'abc', body: { secret: 'x' }, raw: Buffer.from('xyz') }),
    ).toEqual({
      ids: [1, 2],
      token: '<text, 3 chars>',
      body: '<object>',
      raw: '<bytes, 3>',
    });
  });

  it('shows the first 50 values of a long list', () => {
    const shown = scrubParameters(Array.from({ length: 60 }, (_, i) => i)) as unknown[];
    expect(shown).toHaveLength(51);
    expect(shown[50]).toBe('<10 more>');
  });
});
