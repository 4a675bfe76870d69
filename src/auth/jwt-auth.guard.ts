import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthenticatedRequest } from './current-user.decorator';
import { IS_PUBLIC } from './public.decorator';
import { RequestAuthenticator } from './request-authenticator';

/**
 * Global guard: every route needs `Authorization: Bearer <HS256 JWT>` unless marked @Public(). Under /api/v1 the
 * caller was already authenticated before the body was read (app.factory.ts); elsewhere it is done here.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly authenticator: RequestAuthenticator,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    // Under /api/v1, already known: nothing to look up (the route's @Public() would not change the answer).
    if (request.user) return true;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]))
      return true;
    return this.authenticator.authenticate(request.headers.authorization).then((user) => {
      request.user = user;
      return true;
    });
  }
}
