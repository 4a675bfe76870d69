import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { catchError, Observable } from 'rxjs';
import { ValidationFailedException } from '../common/http/validation-failed.exception';
import { AuthenticatedRequest } from './current-user.decorator';
import { impliedStore, STORE_ID_REQUIRED } from './store-scope';

const CREATES_IN_STORE = 'creates-in-store';
/**
 * The route creates something in the body's `store_id`, or in the token's one store when the body has none
 * (storeForCreate). Lets MissingStoreIdInterceptor report a missing store_id beside the body's other wrong fields.
 */
export const CreatesInStore = () => SetMetadata(CREATES_IN_STORE, true);

/**
 * Whether store_id may be left out depends on the token, so the validation pipe cannot tell, and the service
 * (storeForCreate) only runs once every other field is right: a caller fixing its fields one 400 at a time met
 * store_id last. When a route marked @CreatesInStore answers a 400 for its fields, and store_id is missing
 * where the token does not imply a store, the same 400 names store_id too.
 */
@Injectable()
export class MissingStoreIdInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.reflector.get<boolean>(CREATES_IN_STORE, context.getHandler())) return next.handle();
    return next.handle().pipe(
      catchError((error: unknown) => {
        throw withMissingStoreId(error, context.switchToHttp().getRequest<AuthenticatedRequest>());
      }),
    );
  }
}

function withMissingStoreId(error: unknown, request: AuthenticatedRequest): unknown {
  if (!(error instanceof ValidationFailedException)) return error;
  if (error.fieldErrors.some((fieldError) => fieldError.field === 'store_id')) return error;
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return error;
  if ((body as Record<string, unknown>).store_id !== undefined) return error;
  if (!request.user || impliedStore(request.user) !== undefined) return error;
  return new ValidationFailedException([STORE_ID_REQUIRED, ...error.fieldErrors]);
}
