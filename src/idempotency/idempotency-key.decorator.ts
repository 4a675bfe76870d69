import { applyDecorators, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { AuthenticatedRequest } from '../auth/current-user.decorator';
import { ValidationFailedException } from '../common/http/validation-failed.exception';
import {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENCY_KEY_PATTERN,
  IdempotentRequest,
  requestFingerprint,
} from './idempotent-request';

export const BAD_KEY_MESSAGE = 'Idempotency-Key must be 1 to 255 printable ASCII characters';

/**
 * The request's Idempotency-Key with its caller and fingerprint, or undefined when it sends none. A key that is
 * empty, longer than 255 characters or not printable ASCII is a 400 naming the header.
 */
export const IdempotencyKey = createParamDecorator(
  (_data: unknown, context: ExecutionContext): IdempotentRequest | undefined => {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers[IDEMPOTENCY_KEY_HEADER];
    if (header === undefined) return undefined;
    const key = Array.isArray(header) ? header.join(', ') : header;
    if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
      throw new ValidationFailedException([{ field: 'Idempotency-Key', message: BAD_KEY_MESSAGE }]);
    }
    if (!request.user) throw new Error('IdempotencyKey used on a route without the JwtAuthGuard');
    return {
      caller: request.user.sub,
      key,
      fingerprint: requestFingerprint(request.method, request.routeOptions.url ?? request.url, request.body),
    };
  },
);

/** Documents the optional Idempotency-Key header of a route (Swagger and the generated client). */
export function ApiIdempotencyKey() {
  return applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Makes a retry safe: the same key with the same body, from the same caller, within 24 hours, answers the ' +
        'first result again (the same ids; nothing is created or sent twice). The same key with another body: 422. ' +
        'While the first request with the key is still running: 409 with Retry-After. 1 to 255 printable ASCII ' +
        'characters, e.g. a UUID made once per operation, not per attempt.',
      schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7E]+$' },
      example: '8e03978e-40d5-43e8-bc93-6894a57f9324',
    }),
  );
}
