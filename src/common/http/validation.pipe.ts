import { ArgumentMetadata, Type, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import { compilePlainBodyCheck, PlainBodyCheck } from './plain-body-check';
import { ValidationFailedException } from './validation-failed.exception';

/**
 * The global pipe, with a quick way through for a flat body that passes: plain-body-check.ts turns it into its DTO
 * with class-validator's own rules, compiled once per class; any other body, and every body that is wrong, goes
 * through ValidationPipe's full work, so every 400 is the pipe's as it was.
 */
class ValidationPipeForPlainBodies extends ValidationPipe {
  /** Per DTO class, its compiled check, or null when it has none. */
  private readonly checks = new Map<Type<object>, PlainBodyCheck | null>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && metadata.metatype && this.toValidate(metadata)) {
      const dto = this.checkFor(metadata.metatype as Type<object>)?.(value);
      if (dto) return dto;
    }
    return super.transform(value, metadata);
  }

  private checkFor(dto: Type<object>): PlainBodyCheck | null {
    let check = this.checks.get(dto);
    if (check === undefined) {
      check = compilePlainBodyCheck(dto) ?? null;
      this.checks.set(dto, check);
    }
    return check;
  }
}

/**
 * Unknown fields and wrong types are 400s that name the field. compilePlainBodyCheck follows what ValidationPipe
 * does with exactly these options: change them, and change it too (its spec compares the two).
 */
export const VALIDATION_PIPE_OPTIONS: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  transformOptions: { enableImplicitConversion: false },
  validationError: { target: false, value: false },
  exceptionFactory: (errors) => ValidationFailedException.fromValidationErrors(errors),
};

/** The one global pipe. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipeForPlainBodies(VALIDATION_PIPE_OPTIONS);
}
