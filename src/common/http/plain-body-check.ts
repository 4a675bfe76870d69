import { Type } from '@nestjs/common';
import { TransformationType } from 'class-transformer';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import {
  getMetadataStorage,
  ValidationArguments,
  ValidationTypes,
  ValidatorConstraintInterface,
} from 'class-validator';

/**
 * Turns a request body into its DTO when the body is flat and every field passes, without going through
 * class-transformer and class-validator's per-call machinery; undefined when it cannot tell (the global
 * ValidationPipe then does its full work, and so names what is wrong).
 */
export type PlainBodyCheck = (body: unknown) => object | undefined;

/** One rule of a field, as class-validator would run it: a constraint's `validate` with the decorator's arguments. */
interface FieldRule {
  constraint: ValidatorConstraintInterface;
  constraints: unknown[];
  /** A decorator's own `validateIf` option: the rule applies only when it holds. */
  validateIf?: (object: object, value: unknown) => boolean;
}

interface FieldRules {
  /** @IsOptional, @ValidateIf: the field's rules apply only when all of these hold. */
  conditions: Array<(object: object, value: unknown) => boolean>;
  rules: FieldRule[];
}

/**
 * Compiles the check for a DTO class from class-validator's own metadata, once: the same constraint objects that
 * validate() runs, called with the same arguments, so a body the check accepts is one the pipe would accept, and the
 * DTO it returns is the one the pipe would return. Undefined for a class this cannot follow (class-transformer
 * decorators, nested or async validation, groups): the pipe does its full work for those.
 *
 * Why: on the path of every report, class-transformer's plainToInstance and class-validator's validate() read and
 * filter the metadata of every class anew on each call (validate() walks the storage of all classes to find the
 * inherited rules) and build an error object per field: about a tenth of the CPU of a request (docs/performance.md,
 * round 3).
 *
 * What the pipe does with a body, for the options createValidationPipe sets (whitelist, forbidNonWhitelisted,
 * transform, no implicit conversion), and the check with it:
 * - plainToInstance makes `new Dto()` and copies each key of the body; a string, number, boolean or null is copied
 *   as it is (no @Type, @Transform, @Expose or @Exclude on the class: checked here). The check accepts only a plain
 *   object whose values are such primitives, and builds the DTO the same way.
 * - validate() refuses a key without rules (forbidNonWhitelisted); for each field with rules, skips them when a
 *   condition (@IsOptional, @ValidateIf) is false, else runs each constraint's `validate(value, arguments)`. The
 *   check does the same and gives up (undefined) at the first rule that does not answer `true`.
 */
export function compilePlainBodyCheck(dto: Type<object>): PlainBodyCheck | undefined {
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(dto, undefined as unknown as string, false, false);
  if (metadatas.length === 0) return undefined;
  const fields = new Map<string, FieldRules>();
  for (const metadata of metadatas) {
    const field = fields.get(metadata.propertyName) ?? { conditions: [], rules: [] };
    fields.set(metadata.propertyName, field);
    if (metadata.groups?.length || metadata.always !== undefined) return undefined;
    switch (metadata.type) {
      case ValidationTypes.CONDITIONAL_VALIDATION:
        field.conditions.push(metadata.constraints[0] as FieldRules['conditions'][number]);
        break;
      case ValidationTypes.CUSTOM_VALIDATION:
      case ValidationTypes.IS_DEFINED:
        for (const constraint of storage.getTargetValidatorConstraints(metadata.constraintCls)) {
          if (constraint.async) return undefined;
          field.rules.push({
            constraint: constraint.instance,
            constraints: metadata.constraints,
            validateIf: metadata.validateIf,
          });
        }
        break;
      case ValidationTypes.WHITELIST:
        break;
      default:
        return undefined;
    }
  }
  if (!transformsAsIs(dto, [...fields.keys()])) return undefined;
  const names = new Set(fields.keys());
  const checks = [...fields];

  return (body) => {
    if (!isFlatObject(body)) return undefined;
    for (const key of Object.keys(body)) if (!names.has(key)) return undefined;
    const dtoInstance = Object.assign(new dto(), body) as Record<string, unknown>;
    for (const key of Object.keys(dtoInstance)) if (!names.has(key)) return undefined;
    for (const [property, field] of checks) {
      const value = dtoInstance[property];
      if (!field.conditions.every((condition) => condition(dtoInstance, value))) continue;
      for (const rule of field.rules) {
        if (rule.validateIf && !rule.validateIf(dtoInstance, value)) continue;
        const args: ValidationArguments = {
          targetName: dto.name,
          property,
          object: dtoInstance,
          value,
          constraints: rule.constraints,
        };
        if (!passes(rule, value, args)) return undefined;
      }
    }
    return dtoInstance;
  };
}

/**
 * Only `true` passes: anything else (false, a promise, a constraint that throws, as class-validator's @IsNumber with
 * maxDecimalPlaces does for 5e-324) is left to the pipe, which then answers as it always did.
 */
function passes(rule: FieldRule, value: unknown, args: ValidationArguments): boolean {
  try {
    return rule.constraint.validate(value, args) === true;
  } catch {
    return false;
  }
}

/** A JSON object (not an array) whose values are all strings, numbers, booleans or null. */
function isFlatObject(body: unknown): body is Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Object.getPrototypeOf(body) !== Object.prototype)
    return false;
  for (const key in body) {
    const value = (body as Record<string, unknown>)[key];
    if (value !== null && typeof value === 'object') return false;
    if (typeof value === 'function' || typeof value === 'undefined') return false;
  }
  return true;
}

/** No class-transformer decorator on the class (or its parents) changes how plainToInstance copies these fields. */
function transformsAsIs(dto: Type<object>, properties: string[]): boolean {
  if (defaultMetadataStorage.getStrategy(dto) !== 'none') return false;
  if (defaultMetadataStorage.getExposedMetadatas(dto).length > 0) return false;
  if (defaultMetadataStorage.getExcludedMetadatas(dto).length > 0) return false;
  return properties.every(
    (property) =>
      defaultMetadataStorage.findTypeMetadata(dto, property) === undefined &&
      defaultMetadataStorage.findTransformMetadatas(dto, property, TransformationType.PLAIN_TO_CLASS)
        .length === 0 &&
      !isMethodOrGetter(dto, property),
  );
}

/** plainToInstance skips a key that is a method or a getter without a setter on the class: such a field is not copied. */
function isMethodOrGetter(dto: Type<object>, property: string): boolean {
  for (
    let proto: unknown = dto.prototype;
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, property);
    if (descriptor)
      return typeof descriptor.value === 'function' || (descriptor.get !== undefined && !descriptor.set);
  }
  return property in Object.prototype;
}
