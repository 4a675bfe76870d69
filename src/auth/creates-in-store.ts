import { applyDecorators, ArgumentsHost, Catch, UseFilters } from '@nestjs/common';
import { GlobalExceptionFilter } from '../common/http/global-exception.filter';
import { ValidationFailedException } from '../common/http/validation-failed.exception';
import { AuthenticatedRequest } from './current-user.decorator';
import { impliedStore, STORE_ID_REQUIRED } from './store-scope';

/**
 * Whether store_id may be left out depends on the token, so the validation pipe cannot tell, and the service
 * (storeForCreate) only runs once every other field is right: a caller fixing its fields one 400 at a time met
 * store_id last. When a route marked @CreatesInStore answers a 400 for its fields, and store_id is missing
 * where the token does not imply a store, the same 400 names store_id too.
 *
 * An exception filter of the route's own, which Nest asks before the global one: it runs only when the route throws,
 * where an interceptor would wrap every request of every route in an rxjs pipeline (common/http/success-envelope.ts
 * says what that cost). It sees what an interceptor saw (the pipe's, the parameters' and the handler's errors) and
 * answers as GlobalExceptionFilter does, with the completed exception.
 */
@Catch(ValidationFailedException)
export class MissingStoreIdFilter extends GlobalExceptionFilter {
  override catch(exception: ValidationFailedException, host: ArgumentsHost): void {
    super.catch(withMissingStoreId(exception, host.switchToHttp().getRequest<AuthenticatedRequest>()), host);
  }
}

/**
 * The route creates something in the body's `store_id`, or in the token's one store when the body has none
 * (storeForCreate): a 400 for its other fields names a missing store_id too (MissingStoreIdFilter).
 */
export const CreatesInStore = () => applyDecorators(UseFilters(MissingStoreIdFilter));

function withMissingStoreId(
  error: ValidationFailedException,
  request: AuthenticatedRequest,
): ValidationFailedException {
  if (error.fieldErrors.some((fieldError) => fieldError.field === 'store_id')) return error;
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return error;
  if ((body as Record<string, unknown>).store_id !== undefined) return error;
  if (!request.user || impliedStore(request.user) !== undefined) return error;
  return new ValidationFailedException([STORE_ID_REQUIRED, ...error.fieldErrors]);
}
