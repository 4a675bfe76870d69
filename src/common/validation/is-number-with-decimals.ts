import { buildMessage, IS_NUMBER, isNumber, ValidateBy, ValidationOptions } from 'class-validator';

/**
 * A finite number with at most `maxDecimalPlaces` decimals: @IsNumber({ allowNaN: false, allowInfinity: false,
 * maxDecimalPlaces }) without its crash. class-validator counts the decimals after the point of the number's text,
 * and throws for a number JavaScript prints with an exponent and no point (1e-7, 5e-324): the request was a 500.
 * Here the exponent counts too (1e-7 has 7 decimals, 1.5e-7 has 8); for every other number the count decides as
 * class-validator's does. Registered under @IsNumber's name with its message, so a refusal reads the same.
 */
export function IsNumberWithDecimals(
  maxDecimalPlaces: number,
  validationOptions?: ValidationOptions,
): PropertyDecorator {
  return ValidateBy(
    {
      name: IS_NUMBER,
      constraints: [{ allowNaN: false, allowInfinity: false, maxDecimalPlaces }],
      validator: {
        validate: (value: unknown) =>
          isNumber(value, { allowNaN: false, allowInfinity: false }) &&
          decimalPlaces(value) <= maxDecimalPlaces,
        defaultMessage: buildMessage(
          (eachPrefix) => `${eachPrefix}$property must be a number conforming to the specified constraints`,
          validationOptions,
        ),
      },
    },
    validationOptions,
  );
}

/** The decimals of a finite number as JavaScript prints it, exponent included: 2.5 -> 1, 1e-7 -> 7, 1e21 -> 0. */
export function decimalPlaces(value: number): number {
  if (value % 1 === 0) return 0;
  const [mantissa, exponent = '0'] = value.toString().split('e');
  return Math.max(0, (mantissa.split('.')[1]?.length ?? 0) - Number(exponent));
}
