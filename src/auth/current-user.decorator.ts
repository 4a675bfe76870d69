import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { AuthUser } from './auth-user';

export type AuthenticatedRequest = FastifyRequest & { user?: AuthUser };

/** The caller, as the JwtAuthGuard verified it. */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthUser => {
  const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
  if (!user) throw new Error('CurrentUser used on a route without the JwtAuthGuard');
  return user;
});
