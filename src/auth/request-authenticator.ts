import { Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { LRUCache } from 'lru-cache';
import { AuthUser, authUserFromClaims } from './auth-user';

/**
 * How many verified tokens are remembered. A client sends the same token with every request of its session (the
 * delivery benchmark's 50 clients share one), so a few are enough to hit; the bound keeps a stream of distinct tokens
 * from growing the heap (an entry is a token of a few hundred bytes and its caller).
 */
const VERIFIED_TOKENS = 10_000;

/** A token whose signature and claims were verified once: the caller it names, and the times it is valid between. */
interface VerifiedToken {
  user: AuthUser;
  /** `exp` and `nbf` of its claims, in seconds, as jsonwebtoken reads them; undefined when the token has none. */
  expiresAt: number | undefined;
  notBefore: number | undefined;
}

/**
 * Turns an `Authorization` header into the caller, or a 401. Any problem with the token is the same 401, so a
 * caller learns nothing about why a forged token failed. Used before the body is read (app.factory.ts) and by the
 * guard for routes outside /api/v1.
 *
 * A token verified once is remembered by its exact text: the HS256 check and the parsing of its claims were a
 * measurable part of every request (docs/performance.md, round 3). The answer for a token depends only on its text,
 * the secret (fixed for the process) and the time, so a remembered one is accepted exactly as long as verifying it
 * again would accept it: its `exp` and `nbf` are checked on every use, the way jsonwebtoken checks them (whole seconds
 * of Date.now()), and an expired one is forgotten. A token that fails is never remembered.
 */
@Injectable()
export class RequestAuthenticator {
  private readonly verified = new LRUCache<string, VerifiedToken>({ max: VERIFIED_TOKENS });

  constructor(private readonly jwt: JwtService) {}

  async authenticate(authorization: string | undefined): Promise<AuthUser> {
    const token = bearerToken(authorization);
    if (!token) throw new UnauthorizedException('Missing bearer token: send Authorization: Bearer <token>');
    const known = this.verified.get(token);
    if (known) {
      if (validAt(known, nowInSeconds())) return known.user;
      this.verified.delete(token);
      throw invalidToken();
    }
    let payload: Record<string, unknown>;
    try {
      payload = await this.jwt.verifyAsync<Record<string, unknown>>(token, { algorithms: ['HS256'] });
    } catch {
      throw invalidToken();
    }
    const claimed = authUserFromClaims(payload);
    if (!claimed) throw invalidToken();
    // One object serves every request with the token: frozen, so that none can change it for the next.
    const user = Object.freeze({ ...claimed, storeIds: Object.freeze([...claimed.storeIds]) });
    // jsonwebtoken refused a token whose exp or nbf is not a number, so these are numbers or absent.
    this.verified.set(token, {
      user,
      expiresAt: payload.exp as number | undefined,
      notBefore: payload.nbf as number | undefined,
    });
    return user;
  }
}

/** jsonwebtoken's own tests (verify.js, no clock tolerance): expired once `now >= exp`, not yet valid while `nbf > now`. */
function validAt(token: VerifiedToken, now: number): boolean {
  if (token.expiresAt !== undefined && now >= token.expiresAt) return false;
  return token.notBefore === undefined || token.notBefore <= now;
}

function nowInSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function invalidToken(): UnauthorizedException {
  return new UnauthorizedException('Invalid or expired token');
}

function bearerToken(header: string | undefined): string | undefined {
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}
