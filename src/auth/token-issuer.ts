import { JwtService } from '@nestjs/jwt';
import { TokenClaims } from './auth-user';

/** Signs bearer tokens with the configured HS256 secret (CLI and the first-start admin token). */
export function issueToken(secret: string, claims: TokenClaims, expiresInSeconds?: number): string {
  const jwt = new JwtService({ secret, signOptions: { algorithm: 'HS256' } });
  const payload: Record<string, unknown> = { sub: claims.sub, role: claims.role };
  if (claims.role === 'store_admin') payload.store_ids = claims.store_ids ?? [];
  return jwt.sign(payload, expiresInSeconds === undefined ? {} : { expiresIn: expiresInSeconds });
}
