import { BadRequestException } from '@nestjs/common';
import { FieldError } from './api-envelope';
import { ValidationFailedException } from './validation-failed.exception';

/** No request of this API nests deeper than 3; 32 leaves room and stops a body built to exhaust the stack. */
export const MAX_JSON_DEPTH = 32;
const MAX_REPORTED = 10;

/**
 * Checks what Fastify parsed before any of it is transformed or stored: JSON nested deeper than MAX_JSON_DEPTH
 * is a 400 (class-transformer recurses, so a body nested 5,000 deep would overflow the stack), and text with a
 * NUL character is a 400 naming the field (PostgreSQL cannot store it in a text column). Iterative, so that
 * this check itself cannot overflow.
 */
export function checkParsedInput(input: { body?: unknown; query?: unknown; params?: unknown }): void {
  const errors: FieldError[] = [];
  for (const [source, value] of Object.entries(input)) {
    const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: '', depth: 0 }];
    while (stack.length > 0 && errors.length < MAX_REPORTED) {
      const { value: current, path, depth } = stack.pop()!;
      if (typeof current === 'string') {
        if (current.includes('\u0000')) {
          const field = path || source;
          errors.push({ field, message: `${field} must not contain the NUL character (\\u0000)` });
        }
        continue;
      }
      if (typeof current !== 'object' || current === null) continue;
      if (depth >= MAX_JSON_DEPTH) {
        throw new BadRequestException(`The request ${source} is nested deeper than ${MAX_JSON_DEPTH} levels`);
      }
      const entries = Array.isArray(current)
        ? current.map((item, index) => [String(index), item] as const)
        : Object.entries(current);
      for (const [key, item] of entries.reverse()) {
        const itemPath = Array.isArray(current) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
        stack.push({ value: item, path: itemPath, depth: depth + 1 });
      }
    }
  }
  if (errors.length > 0) throw new ValidationFailedException(errors);
}
