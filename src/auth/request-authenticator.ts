import { HttpStatus, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { LRUCache } from 'lru-cache';
import { RetryLaterException } from '../common/http/retry-later.exception';
import { AuthUser, authUserFromClaims } from './auth-user';
import { RevokedTokens } from './revoked-tokens';

export const REVOKED_TOKEN_MESSAGE = 'This token was revoked: ask an admin for a new one';
export const REVOCATIONS_UNKNOWN_MESSAGE =
  'The service cannot check right now whether this token was revoked; try again in a few seconds.';
const REVOCATIONS_RETRY_AFTER_SECONDS = 5;

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
  /** The `jti` of a minted token, which can be revoked; undefined for one without (the CLI's). */
  jti: string | undefined;
}

/**
 * Turns an `Authorization` header into the caller, or a 401. Any problem with the token's signature or claims is
 * the same 401, so a caller learns nothing about why a forged token failed (a revoked token, genuinely signed, is told
 * so). Used before the body is read (app.factory.ts) and by the guard for routes outside /api/v1.
 *
 * A token verified once is remembered by its exact text: the HS256 check and the parsing of its claims were a
 * measurable part of every request (docs/performance.md, round 3). The answer for a token depends only on its text,
 * the secret (fixed for the process) and the time, so a remembered one is accepted exactly as long as verifying it
 * again would accept it: its `exp` and `nbf` are checked on every use, the way jsonwebtoken checks them (whole seconds
 * of Date.now()), and an expired one is forgotten. A token that fails is never remembered.
 *
 * A token with a `jti` (one an admin minted, POST /auth/tokens) can be revoked: every use, remembered or not, looks
 * its jti up in RevokedTokens, a set in memory that the refresh job keeps current from the database. A revoked one is
 * a 401 that says so; while that set cannot be kept current (the database unreachable for REVOCATIONS_STALE_MS), such
 * a token is a 503 with Retry-After rather than honoured unchecked (docs/console.md, "Revoking a token").
 */
@Injectable()
export class RequestAuthenticator {
  private readonly verified = new LRUCache<string, VerifiedToken>({ max: VERIFIED_TOKENS });

  constructor(
    private readonly jwt: JwtService,
    private readonly revoked: RevokedTokens,
  ) {}

  async authenticate(authorization: string | undefined): Promise<AuthUser> {
    const token = bearerToken(authorization);
    if (!token) throw new UnauthorizedException('Missing bearer token: send Authorization: Bearer <token>');
    const known = this.verified.get(token);
    if (known) {
      if (validAt(known, nowInSeconds())) return this.unlessRevoked(known);
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
    const { jti } = payload;
    if (jti !== undefined && typeof jti !== 'string') throw invalidToken();
    // jsonwebtoken refused a token whose exp or nbf is not a number, so these are numbers or absent.
    const expiresAt = payload.exp as number | undefined;
    // One object serves every request with the token: frozen, so that none can change it for the next.
    const user = Object.freeze({
      ...claimed,
      storeIds: Object.freeze([...claimed.storeIds]),
      ...(expiresAt === undefined ? {} : { tokenExpiresAt: expiresAt }),
    });
    const verified: VerifiedToken = { user, expiresAt, notBefore: payload.nbf as number | undefined, jti };
    this.verified.set(token, verified);
    return this.unlessRevoked(verified);
  }

  private unlessRevoked(token: VerifiedToken): AuthUser {
    if (token.jti === undefined) return token.user;
    const verdict = this.revoked.verdict(token.jti);
    if (verdict === 'revoked') throw new UnauthorizedException(REVOKED_TOKEN_MESSAGE);
    if (verdict === 'unknown') {
      throw new RetryLaterException(
        REVOCATIONS_UNKNOWN_MESSAGE,
        REVOCATIONS_RETRY_AFTER_SECONDS,
        HttpStatus.SERVICE_UNAVAILABLE,
      );
    }
    return token.user;
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
