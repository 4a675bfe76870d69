import { createSecretKey, randomUUID } from 'node:crypto';
import { HttpStatus, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../test/support/clocks';
import { RetryLaterException } from '../common/http/retry-later.exception';
import { REVOKED_TOKEN_MESSAGE, RequestAuthenticator } from './request-authenticator';
import { REVOCATIONS_STALE_MS, RevokedTokens } from './revoked-tokens';
import { issueToken } from './token-issuer';

const SECRET = 'request-authenticator-spec-secret-of-enough-length';
const START = Date.UTC(2026, 11, 7, 8, 0, 0);

/**
 * The JwtService as AuthModule configures it, and the authenticator on it (its verifications counted), with the
 * revoked tokens as the refresh job leaves them after a read that found none (on `clock`).
 */
function authenticator(clock = new ManualClock()) {
  const jwt = new JwtService({
    secret: createSecretKey(Buffer.from(SECRET, 'utf8')),
    verifyOptions: { algorithms: ['HS256'] },
  });
  const verifications = vi.spyOn(jwt, 'verifyAsync');
  const revoked = new RevokedTokens(clock);
  revoked.refreshed([], clock.now());
  return { auth: new RequestAuthenticator(jwt, revoked), verifications, revoked, clock };
}

/** A token as POST /auth/tokens mints it: with a jti. */
function minted(jti: string, expiresInSeconds = 3600): string {
  return new JwtService({ secret: SECRET }).sign(
    { sub: 'store-3-manager', role: 'store_admin', store_ids: [3], jti },
    { expiresIn: expiresInSeconds },
  );
}

const bearer = (token: string) => `Bearer ${token}`;
const refused = (promise: Promise<unknown>) =>
  expect(promise).rejects.toThrow(new UnauthorizedException('Invalid or expired token'));

describe('RequestAuthenticator', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('verifies a token once and knows its caller from then on', async () => {
    const { auth, verifications } = authenticator();
    const token = issueToken(SECRET, { sub: 'ops', role: 'store_admin', store_ids: [3, 1, 3] }, 3600);
    const first = await auth.authenticate(bearer(token));
    const again = await auth.authenticate(bearer(token));
    expect(first).toEqual({
      sub: 'ops',
      role: 'store_admin',
      storeIds: [3, 1],
      tokenExpiresAt: expect.any(Number),
    });
    expect(again).toBe(first);
    expect(verifications).toHaveBeenCalledTimes(1);
    // Shared by every request with the token: none may change it.
    expect(Object.isFrozen(again) && Object.isFrozen(again.storeIds)).toBe(true);
  });

  it('refuses a remembered token from the second its exp is reached, as verifying it would', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: START });
    const { auth } = authenticator();
    const token = issueToken(SECRET, { sub: 'ops', role: 'admin' }, 60);
    await auth.authenticate(bearer(token));
    vi.setSystemTime(START + 59_999);
    await expect(auth.authenticate(bearer(token))).resolves.toMatchObject({ sub: 'ops' });
    vi.setSystemTime(START + 60_000);
    await refused(auth.authenticate(bearer(token)));
    // Forgotten, and refused by the verification too.
    await refused(auth.authenticate(bearer(token)));
  });

  it('refuses a remembered token whose nbf is ahead of the clock (the clock set back)', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: START });
    const { auth } = authenticator();
    const token = new JwtService({ secret: SECRET }).sign(
      { sub: 'ops', role: 'admin' },
      { notBefore: 0, expiresIn: 3600 },
    );
    await auth.authenticate(bearer(token));
    vi.setSystemTime(START - 1_000);
    await refused(auth.authenticate(bearer(token)));
  });

  it('never remembers a token that failed: each use is verified again', async () => {
    const { auth, verifications } = authenticator();
    const forged = issueToken('another-secret-of-enough-length-for-hs256', { sub: 'x', role: 'admin' }, 3600);
    await refused(auth.authenticate(bearer(forged)));
    await refused(auth.authenticate(bearer(forged)));
    const notOurs = issueToken(SECRET, { sub: '', role: 'admin' }, 3600);
    await refused(auth.authenticate(bearer(notOurs)));
    await refused(auth.authenticate(bearer(notOurs)));
    expect(verifications).toHaveBeenCalledTimes(4);
  });

  it('keeps at most 10,000 tokens: the one used longest ago is verified again', async () => {
    const { auth, verifications } = authenticator();
    const signer = new JwtService({ secret: createSecretKey(Buffer.from(SECRET, 'utf8')) });
    const tokens = Array.from({ length: 10_001 }, (_, i) =>
      signer.sign({ sub: `caller-${i}`, role: 'admin' }, { expiresIn: 3600 }),
    );
    for (const token of tokens) await auth.authenticate(bearer(token));
    expect(verifications).toHaveBeenCalledTimes(10_001);
    await auth.authenticate(bearer(tokens[10_000]));
    expect(verifications).toHaveBeenCalledTimes(10_001);
    await auth.authenticate(bearer(tokens[0]));
    expect(verifications).toHaveBeenCalledTimes(10_002);
  });

  it('refuses a revoked token with a 401 that says so, remembered or not, and keeps its caller for the next', async () => {
    const { auth, revoked } = authenticator();
    const jti = randomUUID();
    const token = minted(jti);
    await expect(auth.authenticate(bearer(token))).resolves.toMatchObject({ sub: 'store-3-manager' });
    revoked.add(jti, Math.floor(Date.now() / 1000) + 3600);
    const revokedAnswer = new UnauthorizedException(REVOKED_TOKEN_MESSAGE);
    await expect(auth.authenticate(bearer(token))).rejects.toThrow(revokedAnswer);
    // Seen for the first time (another process, or forgotten by the cache): refused as well.
    const { auth: fresh, revoked: freshRevoked } = authenticator();
    freshRevoked.refreshed([{ jti, expiresAtSeconds: Math.floor(Date.now() / 1000) + 3600 }], Date.now());
    await expect(fresh.authenticate(bearer(token))).rejects.toThrow(revokedAnswer);
    // Another minted token is not touched.
    await expect(auth.authenticate(bearer(minted(randomUUID())))).resolves.toMatchObject({
      sub: 'store-3-manager',
    });
  });

  it('answers 503 for a minted token once the revoked tokens have not been read for 15 s, and not a token without jti', async () => {
    const clock = new ManualClock();
    const { auth, revoked } = authenticator(clock);
    const token = minted(randomUUID());
    const cli = issueToken(SECRET, { sub: 'ops', role: 'admin' }, 3600);
    await auth.authenticate(bearer(token));
    clock.set(clock.now() + REVOCATIONS_STALE_MS);
    await expect(auth.authenticate(bearer(token))).resolves.toMatchObject({ sub: 'store-3-manager' });
    clock.set(clock.now() + 1);
    const unknown = await auth.authenticate(bearer(token)).catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(RetryLaterException);
    expect((unknown as RetryLaterException).getStatus()).toBe(HttpStatus.SERVICE_UNAVAILABLE);
    expect((unknown as RetryLaterException).retryAfterSeconds).toBeGreaterThan(0);
    // The CLI's tokens cannot be revoked: nothing to check.
    await expect(auth.authenticate(bearer(cli))).resolves.toMatchObject({ sub: 'ops' });
    // A read again: honoured again.
    revoked.refreshed([], clock.now());
    await expect(auth.authenticate(bearer(token))).resolves.toMatchObject({ sub: 'store-3-manager' });
  });

  it('answers 503 for a minted token before the revoked tokens were ever read', async () => {
    const clock = new ManualClock();
    const jwt = new JwtService({ secret: createSecretKey(Buffer.from(SECRET, 'utf8')) });
    const auth = new RequestAuthenticator(jwt, new RevokedTokens(clock));
    await expect(auth.authenticate(bearer(minted(randomUUID())))).rejects.toBeInstanceOf(RetryLaterException);
  });

  it('refuses a token whose jti is not a string', async () => {
    const { auth } = authenticator();
    const token = new JwtService({ secret: SECRET }).sign(
      { sub: 'x', role: 'admin', jti: 7 },
      { expiresIn: 3600 },
    );
    await refused(auth.authenticate(bearer(token)));
  });

  it("keeps a revoked token's jti until an hour after it expired, whatever a later read finds", () => {
    const clock = new ManualClock();
    const revoked = new RevokedTokens(clock);
    const now = Math.floor(Date.now() / 1000);
    revoked.add('expired-long-ago', now - 3601);
    revoked.add('expired-just-now', now - 10);
    revoked.add('revoked-here', now + 600);
    // A read that began before the revocation here, and so does not hold it.
    revoked.refreshed([], clock.now());
    expect(revoked.verdict('revoked-here')).toBe('revoked');
    expect(revoked.verdict('expired-just-now')).toBe('revoked');
    expect(revoked.verdict('expired-long-ago')).toBe('valid');
  });
});
