import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Observable, map } from 'rxjs';
import { success } from './api-envelope';

const RAW_RESPONSE = 'raw-response';
/** The handler's return value is the whole body (health, metrics), not wrapped in the envelope. */
export const RawResponse = () => SetMetadata(RAW_RESPONSE, true);

/** Wraps every handler's result in `{code: 0, msg: "success", data}`. */
@Injectable()
export class EnvelopeInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const raw = this.reflector.getAllAndOverride<boolean>(RAW_RESPONSE, [
      context.getHandler(),
      context.getClass(),
    ]);
    return raw ? next.handle() : next.handle().pipe(map((data: unknown) => success(data ?? null)));
  }
}
