import {
  applyDecorators,
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  UseGuards,
} from '@nestjs/common';
import { AuthenticatedRequest } from './current-user.decorator';

export const ADMIN_ONLY_MESSAGE = 'Only an admin may do this';

/** Runs after the global JwtAuthGuard, which has put the caller on the request. */
class AdminOnlyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
    if (user?.role !== 'admin') throw new ForbiddenException(ADMIN_ONLY_MESSAGE);
    return true;
  }
}

/** The route is for admins (role `admin`) only: anyone else gets a 403 before the body is validated. */
export const AdminOnly = () => applyDecorators(UseGuards(AdminOnlyGuard));
