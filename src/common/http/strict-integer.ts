import { applyDecorators, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { ValidationFailedException } from './validation-failed.exception';

/** PostgreSQL's `integer` and `bigint` ranges: an id or integer beyond them is refused before any query. */
export const INT4_MAX = 2_147_483_647;
export const INT8_MAX = 9_223_372_036_854_775_807n;

const DIGITS = /^[1-9][0-9]*$/;

/**
 * `1`, `17`, `2147483647` — not `01`, `+1`, `0x10`, `1e3`, ` 1` or `1.0`, which `Number()` would all accept.
 * Undefined when the text is not such a number or is over `max`.
 */
export function parsePositiveInteger(text: string, max: number = INT4_MAX): number | undefined {
  if (!DIGITS.test(text) || text.length > 16) return undefined;
  const value = Number(text);
  return value <= max ? value : undefined;
}

/** The same for a `bigint` column: the id stays a decimal string (JavaScript numbers end at 2^53). */
export function parseBigIntId(text: string): string | undefined {
  return DIGITS.test(text) && text.length <= 19 && BigInt(text) <= INT8_MAX ? text : undefined;
}

function invalidId(field: string, max: number | bigint): ValidationFailedException {
  return new ValidationFailedException([
    { field, message: `${field} must be a whole number from 1 to ${max} (digits only)` },
  ]);
}

function pathParam(context: ExecutionContext, name: string): string {
  const params = context.switchToHttp().getRequest<FastifyRequest>().params as Record<string, string>;
  return params[name] ?? '';
}

/**
 * `@IntIdParam() id: number`: the `:id` of a row in a table with an `integer` key. A param decorator of its
 * own rather than a pipe, because the global ValidationPipe would first turn `0x10` into 16 for a number.
 */
export const IntIdParam = createParamDecorator((name: string | undefined, context: ExecutionContext) => {
  const field = name ?? 'id';
  const id = parsePositiveInteger(pathParam(context, field));
  if (id === undefined) throw invalidId(field, INT4_MAX);
  return id;
});

/** `@BigIntIdParam() id: string`: the `:id` of a row in a table with a `bigint` key, as a decimal string. */
export const BigIntIdParam = createParamDecorator((name: string | undefined, context: ExecutionContext) => {
  const field = name ?? 'id';
  const id = parseBigIntId(pathParam(context, field));
  if (id === undefined) throw invalidId(field, INT8_MAX);
  return id;
});

/**
 * A whole number from the query string (`?page=2`, `?store_id=7`), parsed as strictly as a path id, with one
 * message whatever is wrong with it. Text that is not such a number stays text, so that the checks refuse it.
 */
export function QueryInteger(options: { min?: number; max?: number } = {}) {
  const min = options.min ?? 1;
  const max = options.max ?? INT4_MAX;
  const message = `$property must be a whole number from ${min} to ${max}`;
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? (parsePositiveInteger(value, Number.MAX_SAFE_INTEGER) ?? value) : value,
    ),
    IsInt({ message }),
    Min(min, { message }),
    Max(max, { message }),
  );
}

/** A whole number in a JSON body within an `integer` column's range, with one message whatever is wrong. */
export function BodyInteger(options: { min?: number; max?: number; each?: boolean } = {}) {
  const min = options.min ?? 1;
  const max = options.max ?? INT4_MAX;
  const each = options.each ?? false;
  const message = each
    ? `each of $property must be a whole number from ${min} to ${max}`
    : `$property must be a whole number from ${min} to ${max}`;
  return applyDecorators(IsInt({ each, message }), Min(min, { each, message }), Max(max, { each, message }));
}
