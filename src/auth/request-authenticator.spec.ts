import { createSecretKey } from 'node:crypto';
import { UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RequestAuthenticator } from './request-authenticator';
import { issueToken } from './token-issuer';

const SECRET = 'request-authenticator-spec-secret-of-enough-length';
const START = Date.UTC(2026, 11, 7, 8, 0, 0);

/** The JwtService as AuthModule configures it, and the authenticator on it (its verifications counted). */
function authenticator() {
  const jwt = new JwtService({
    secret: createSecretKey(Buffer.from(SECRET, 'utf8')),
    verifyOptions: { algorithms: ['HS256'] },
  });
  const verifications = vi.spyOn(jwt, 'verifyAsync');
  return { auth: new RequestAuthenticator(jwt), verifications };
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
    expect(first).toEqual({ sub: 'ops', role: 'store_admin', storeIds: [3, 1] });
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
});
