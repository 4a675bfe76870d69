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

function flatten(errors: ValidationError[], prefix: string): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      message: describe(message, field),
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** class-validator says "property x should not exist" for unknown fields; say it the way a person would. */
function describe(message: string, field: string): string {
  const unknown = /^property (.+) should not exist$/.exec(message);
  return unknown ? `${field} is not a known field` : message;
}
