import { BadRequestException, ValidationError } from '@nestjs/common';
import { FieldError } from './api-envelope';

/** A 400 that names each field that is wrong; the global filter turns it into `errors: [{field, message}]`. */
export class ValidationFailedException extends BadRequestException {
  constructor(readonly fieldErrors: FieldError[]) {
    super(
      fieldErrors.length === 1
        ? `Invalid request: ${fieldErrors[0].message}`
        : `Invalid request: ${fieldErrors.length} fields are wrong`,
    );
  }

  static fromValidationErrors(errors: ValidationError[]): ValidationFailedException {
    return new ValidationFailedException(flatten(errors, ''));
  }
}

/**
 * When a value is of the wrong kind, that is what the caller needs to hear — not the bounds it would also miss
 * ("quantity must be a number", not also "must not be greater than 999999999").
 */
const KIND_CHECKS = [
  'whitelistValidation',
  'isDefined',
  'isString',
  'isNumber',
  'isInt',
  'isBoolean',
  'isArray',
  'isObject',
  'isIn',
];

/** class-validator's wording where a person would say it more plainly. */
const PLAIN: Record<string, (field: string) => string> = {
  whitelistValidation: (field) => `${field} is not a known field`,
  isNumber: (field) => `${field} must be a number`,
  isObject: (field) => `${field} must be a JSON object`,
};

/** One message per wrong field: the most useful of the checks it failed. */
function flatten(errors: ValidationError[], prefix: string): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const constraints = error.constraints ?? {};
    const names = Object.keys(constraints);
    const chosen = KIND_CHECKS.find((name) => name in constraints) ?? names[0];
    const own =
      chosen === undefined
        ? []
        : [{ field, message: PLAIN[chosen]?.(field) ?? withPlainMinimum(constraints[chosen]) }];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * class-validator's minimums read "dish_name must be longer than or equal to 1 characters" and "… must contain at
 * least 1 elements": a minimum of one is "must not be empty", another minimum is said plainly, and so are both
 * bounds at once (what `each: true` says of an array's strings). A maximum alone stays as it is.
 */
function withPlainMinimum(message: string): string {
  return message
    .replace(/ must be longer than or equal to 1 characters$/, ' must not be empty')
    .replace(/ must be longer than or equal to (\d+) characters$/, ' must be at least $1 characters long')
    .replace(/ must contain at least 1 elements$/, ' must not be empty')
    .replace(
      / must be longer than or equal to (\d+) and shorter than or equal to (\d+) characters$/,
      ' must be $1 to $2 characters long',
    );
}
