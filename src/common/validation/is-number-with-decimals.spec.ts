import { isNumber, validateSync } from 'class-validator';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalPlaces, IsNumberWithDecimals } from './is-number-with-decimals';

class Quantity {
  @IsNumberWithDecimals(3)
  quantity: unknown;
}

const verdict = (quantity: unknown) => validateSync(Object.assign(new Quantity(), { quantity }));
const ISNUMBER = { allowNaN: false, allowInfinity: false, maxDecimalPlaces: 3 };

describe('IsNumberWithDecimals', () => {
  it('counts the decimals of a number printed with an exponent', () => {
    expect([2.5, 0.001, 12.3456, 1e-7, 1.5e-7, 5e-324, 1e21, 3].map(decimalPlaces)).toEqual([
      1, 3, 4, 7, 8, 324, 0, 0,
    ]);
  });

  it('decides as @IsNumber({ maxDecimalPlaces: 3 }) wherever that one does not throw, and refuses where it does', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double(),
          fc.integer(),
          fc.constantFrom(1e-7, 5e-324, 2.675, 0.1 + 0.2, 1e21, -0, NaN, Infinity, '5', null),
        ),
        (value) => {
          const ours = verdict(value).length === 0;
          let theirs: boolean;
          try {
            theirs = isNumber(value, ISNUMBER);
          } catch {
            expect(ours).toBe(false);
            return;
          }
          expect(ours).toBe(theirs);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('refuses with @IsNumber’s name and message', () => {
    expect(verdict(1e-7)).toMatchObject([
      {
        property: 'quantity',
        constraints: { isNumber: 'quantity must be a number conforming to the specified constraints' },
      },
    ]);
  });
});
