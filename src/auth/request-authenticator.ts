import { Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AuthUser, authUserFromClaims } from './auth-user';

/**
 * Turns an `Authorization` header into the caller, or a 401. Any problem with the token is the same 401, so a
 * caller learns nothing about why a forged token failed. Used before the body is read (app.factory.ts) and by the
 * guard for routes outside /api/v1.
 */
@Injectable()
export class RequestAuthenticator {
  constructor(private readonly jwt: JwtService) {}

  async authenticate(authorization: string | undefined): Promise<AuthUser> {
    const token = bearerToken(authorization);
    if (!token) throw new UnauthorizedException('Missing bearer token: send Authorization: Bearer <token>');
    let payload: Record<string, unknown>;
    try {
      payload = await this.jwt.verifyAsync<Record<string, unknown>>(token, { algorithms: ['HS256'] });
    } catch {
      throw new UnauthorizedException('Invalid or expired token');
    }
    const user = authUserFromClaims(payload);
    if (!user) throw new UnauthorizedException('Invalid or expired token');
    return user;
  }
}

function bearerToken(header: string | undefined): string | undefined {
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}
