import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { REVOCATIONS_UNKNOWN_MESSAGE, REVOKED_TOKEN_MESSAGE } from '../../src/auth/request-authenticator';
import { MINTER_EXPIRES_SOON_MESSAGE } from '../../src/auth/store-admin-tokens';
import { REVOCATIONS_STALE_MS } from '../../src/auth/revoked-tokens';
import { ManualClock } from '../support/clocks';
import { givenWebhookBot } from '../support/given';
import { useTestApp } from '../support/use-test-app';
import { waitFor } from '../support/wait-for';

const WEEK = 7 * 24 * 3600;

/** Every token minted in this file: none may show up in a log line or in any answer but its mint's. */
const mintedTokens: string[] = [];

describe('POST /api/v1/auth/tokens: an admin makes a store admin token', () => {
  // Two instances of the service on one database: a revocation on one must reach the other.
  const { t, apps } = useTestApp({ instances: ['tokens-a', 'tokens-b'] });

  const mint = async (body: unknown, token?: string) => {
    const response = await t.request('POST', '/api/v1/auth/tokens', { body, token });
    if (typeof response.body?.data?.token === 'string') mintedTokens.push(response.body.data.token);
    return response;
  };
  const claimsOf = (token: string) =>
    JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;

  it('answers a token for the chosen stores that the API then honours, with its expiry', async () => {
    const before = Date.now();
    const minted = await mint({ sub: 'store-3-manager', store_ids: [3, 4], expires_in_seconds: WEEK });
    expect(minted.status).toBe(201);
    expect(minted.body.data).toEqual({
      token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      jti: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      sub: 'store-3-manager',
      role: 'store_admin',
      store_ids: [3, 4],
      expires_at: expect.any(String),
      // The test's admin token has no exp: it caps nothing.
      expiry_capped: false,
    });
    expect(claimsOf(minted.body.data.token).jti).toBe(minted.body.data.jti);
    const expiresAt = Date.parse(minted.body.data.expires_at);
    expect(expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + WEEK * 1000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + WEEK * 1000);

    const token = minted.body.data.token as string;
    const me = await t.request('GET', '/api/v1/auth/me', { token });
    expect(me.body.data).toEqual({ sub: 'store-3-manager', role: 'store_admin', store_ids: [3, 4] });

    // Scoped like any store admin: store 3's bot is there, store 1's is not.
    const ours = await givenWebhookBot(t, { store_id: 3 });
    const theirs = await givenWebhookBot(t, { store_id: 1 });
    const listed = await t.request('GET', '/api/v1/dingtalk-bots', { token });
    expect(listed.body.data.items.map((bot: { id: number }) => bot.id)).toEqual([ours.id]);
    expect((await t.request('GET', `/api/v1/dingtalk-bots/${theirs.id}`, { token })).status).toBe(404);
  });

  it('is refused once the expiry has passed', async () => {
    const minted = await mint({ sub: 'short', store_ids: [1], expires_in_seconds: 60 });
    const token = minted.body.data.token as string;
    expect((await t.request('GET', '/api/v1/auth/me', { token })).status).toBe(200);
    // The token's own exp claim is what the authenticator checks: read it rather than wait a minute.
    const claims = claimsOf(token);
    expect(claims).toMatchObject({ sub: 'short', role: 'store_admin', store_ids: [1] });
    expect(claims.exp).toBe(Math.floor(Date.parse(minted.body.data.expires_at) / 1000));
    expect((claims.exp as number) - (claims.iat as number)).toBe(60);
  });

  it('is for admins only: a store admin, even of those stores, gets a 403 and no token', async () => {
    const storeAdmin = t.token({ sub: 'mgr', role: 'store_admin', store_ids: [3] });
    const refused = await mint({ sub: 'x', store_ids: [3], expires_in_seconds: WEEK }, storeAdmin);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 403, msg: 'Only an admin may do this' });
    expect(refused.text).not.toContain('token"');
    expect((await mint({ sub: 'x', store_ids: [3], expires_in_seconds: WEEK }, '')).status).toBe(401);
  });

  it('refuses bad input with a 400 that names the field', async () => {
    const fieldsOf = async (body: unknown) => {
      const response = await mint(body);
      expect(response.status).toBe(400);
      return (response.body.errors as Array<{ field: string }>).map((error) => error.field);
    };
    await expect(fieldsOf({ sub: 'a', store_ids: [1] })).resolves.toEqual(['expires_in_seconds']);
    await expect(fieldsOf({ sub: 'a', store_ids: [1], expires_in_seconds: 59 })).resolves.toEqual([
      'expires_in_seconds',
    ]);
    await expect(
      fieldsOf({ sub: 'a', store_ids: [1], expires_in_seconds: 365 * 24 * 3600 + 1 }),
    ).resolves.toEqual(['expires_in_seconds']);
    await expect(fieldsOf({ sub: 'a', store_ids: [], expires_in_seconds: WEEK })).resolves.toEqual([
      'store_ids',
    ]);
    await expect(fieldsOf({ sub: 'a', store_ids: [1, 1], expires_in_seconds: WEEK })).resolves.toEqual([
      'store_ids',
    ]);
    await expect(fieldsOf({ sub: 'a', store_ids: [0], expires_in_seconds: WEEK })).resolves.toEqual([
      'store_ids',
    ]);
    await expect(fieldsOf({ sub: '', store_ids: [1], expires_in_seconds: WEEK })).resolves.toEqual(['sub']);
    await expect(fieldsOf({ sub: 'a\u0000b', store_ids: [1], expires_in_seconds: WEEK })).resolves.toEqual(
      expect.arrayContaining(['sub']),
    );
    await expect(
      fieldsOf({ sub: 'a', store_ids: [1], expires_in_seconds: WEEK, role: 'admin' }),
    ).resolves.toEqual(['role']);
  });

  it('lists the records of minted tokens for an admin, newest first, by status, and never a token', async () => {
    const first = await mint({ sub: 'list-first', store_ids: [5], expires_in_seconds: WEEK });
    const second = await mint({ sub: 'list-second', store_ids: [6, 7], expires_in_seconds: WEEK });
    const listed = await t.request('GET', '/api/v1/auth/tokens?page_size=2');
    expect(listed.status).toBe(200);
    expect(listed.body.data).toMatchObject({ page: 1, page_size: 2, total: expect.any(Number) });
    expect(listed.body.data.total).toBeGreaterThanOrEqual(2);
    expect(listed.body.data.items).toEqual([
      {
        jti: second.body.data.jti,
        sub: 'list-second',
        store_ids: [6, 7],
        status: 'active',
        minted_by: 'test-admin',
        created_at: expect.any(String),
        expires_at: second.body.data.expires_at,
        revoked_at: null,
        revoked_by: null,
      },
      expect.objectContaining({ jti: first.body.data.jti, sub: 'list-first', status: 'active' }),
    ]);
    // The second page goes on where the first ended.
    const next = await t.request('GET', '/api/v1/auth/tokens?page=2&page_size=1');
    expect(next.body.data.items[0].jti).toBe(first.body.data.jti);

    // One past its expiry (its record moved back: waiting a minute would only slow the test).
    await t.app
      .get(DataSource)
      .query(`UPDATE minted_tokens SET expires_at = now() - interval '1 second' WHERE jti = $1`, [
        first.body.data.jti,
      ]);
    const expired = await t.request('GET', '/api/v1/auth/tokens?status=expired');
    expect(expired.body.data.items.map((item: { jti: string }) => item.jti)).toEqual([first.body.data.jti]);
    expect(expired.body.data.items[0].status).toBe('expired');
    const active = await t.request('GET', '/api/v1/auth/tokens?status=active&page_size=100');
    const activeJtis = active.body.data.items.map((item: { jti: string }) => item.jti);
    expect(activeJtis).toContain(second.body.data.jti);
    expect(activeJtis).not.toContain(first.body.data.jti);
    const lost = await t.request('GET', '/api/v1/auth/tokens?status=lost');
    expect(lost.status).toBe(400);
    expect(lost.body.errors).toEqual([
      { field: 'status', message: 'status must be one of the following values: active, revoked, expired' },
    ]);
    for (const token of mintedTokens) {
      expect(listed.text).not.toContain(token);
      expect(active.text).not.toContain(token);
    }
  });

  it('revokes a token: a 401 that says so at once on this instance and within seconds on another', async () => {
    const [here, there] = apps;
    const minted = await mint({ sub: 'leaked', store_ids: [3], expires_in_seconds: WEEK });
    const { token, jti } = minted.body.data as { token: string; jti: string };
    // Both instances have seen it (and remember it as verified).
    for (const app of [here, there])
      expect((await app.request('GET', '/api/v1/auth/me', { token })).status).toBe(200);

    const revoked = await here.request('DELETE', `/api/v1/auth/tokens/${jti}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.data).toMatchObject({
      jti,
      sub: 'leaked',
      status: 'revoked',
      revoked_at: expect.any(String),
      revoked_by: 'test-admin',
    });

    const refusedHere = await here.request('GET', '/api/v1/auth/me', { token });
    expect(refusedHere.status).toBe(401);
    expect(refusedHere.body).toMatchObject({ code: 401, msg: REVOKED_TOKEN_MESSAGE });
    await waitFor(
      async () => (await there.request('GET', '/api/v1/dingtalk-bots', { token })).status === 401,
      'the other instance to refuse the revoked token',
    );
    const refusedThere = await there.request('GET', '/api/v1/auth/me', { token });
    expect(refusedThere.body).toMatchObject({ code: 401, msg: REVOKED_TOKEN_MESSAGE });

    // Again: the same record, its first revocation kept. Listed as revoked.
    const again = await there.request('DELETE', `/api/v1/auth/tokens/${jti}`, {
      token: there.token({ sub: 'another-admin' }),
    });
    expect(again.status).toBe(200);
    expect(again.body.data).toMatchObject({
      revoked_at: revoked.body.data.revoked_at,
      revoked_by: 'test-admin',
    });
    const listed = await there.request('GET', '/api/v1/auth/tokens?status=revoked');
    expect(listed.body.data.items.map((item: { jti: string }) => item.jti)).toContain(jti);

    // Other minted tokens are untouched.
    const other = await mint({ sub: 'kept', store_ids: [3], expires_in_seconds: WEEK });
    expect((await there.request('GET', '/api/v1/auth/me', { token: other.body.data.token })).status).toBe(
      200,
    );
  });

  it('answers 404 for a jti never minted here and 400 for one that is not a token id', async () => {
    const unknown = await t.request('DELETE', '/api/v1/auth/tokens/0b6f6f3e-2d5c-4d8e-9f3a-6c1b2a4d5e6f');
    expect(unknown.status).toBe(404);
    expect(unknown.body.msg).toBe('Token 0b6f6f3e-2d5c-4d8e-9f3a-6c1b2a4d5e6f not found');
    const malformed = await t.request('DELETE', '/api/v1/auth/tokens/12');
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual([{ field: 'jti', message: expect.stringContaining('UUID') }]);
  });

  it("caps a minted token's expiry at the minting token's own, and refuses when that is under a minute away", async () => {
    const adminFor = (seconds: number) => t.token({ sub: 'hq-short' }, seconds);
    const hour = adminFor(3600);
    const adminExp = claimsOf(hour).exp as number;
    const capped = await mint({ sub: 'capped', store_ids: [3], expires_in_seconds: WEEK }, hour);
    expect(capped.status).toBe(201);
    expect(capped.body.data).toMatchObject({ expiry_capped: true });
    expect(capped.body.data.expires_at).toBe(new Date(adminExp * 1000).toISOString());
    expect(claimsOf(capped.body.data.token).exp).toBe(adminExp);
    const listed = await t.request('GET', '/api/v1/auth/tokens?page_size=1');
    expect(listed.body.data.items[0]).toMatchObject({
      jti: capped.body.data.jti,
      minted_by: 'hq-short',
      expires_at: capped.body.data.expires_at,
    });

    // Shorter than what is left: not capped.
    const short = await mint({ sub: 'short', store_ids: [3], expires_in_seconds: 600 }, hour);
    expect(short.body.data.expiry_capped).toBe(false);
    expect(
      (claimsOf(short.body.data.token).exp as number) - (claimsOf(short.body.data.token).iat as number),
    ).toBe(600);

    const dying = await mint({ sub: 'x', store_ids: [3], expires_in_seconds: WEEK }, adminFor(30));
    expect(dying.status).toBe(400);
    expect(dying.body.msg).toBe(MINTER_EXPIRES_SOON_MESSAGE);
  });

  it('lets a store admin neither list nor revoke tokens', async () => {
    const minted = await mint({ sub: 'mgr-3', store_ids: [3], expires_in_seconds: WEEK });
    const storeAdmin = minted.body.data.token as string;
    const list = await t.request('GET', '/api/v1/auth/tokens', { token: storeAdmin });
    expect(list.status).toBe(403);
    expect(list.body).toMatchObject({ code: 403, msg: 'Only an admin may do this' });
    // Not even its own token.
    const revoke = await t.request('DELETE', `/api/v1/auth/tokens/${minted.body.data.jti}`, {
      token: storeAdmin,
    });
    expect(revoke.status).toBe(403);
    expect((await t.request('GET', '/api/v1/auth/me', { token: storeAdmin })).status).toBe(200);
  });

  it('writes no minted token into any log line of either instance', () => {
    expect(mintedTokens.length).toBeGreaterThan(5);
    // Both instances run in this process, where Nest's Logger writes to the last one started: read both logs.
    const log = apps.map((app) => app.logs.text()).join('\n');
    // The log says what happened, by jti; the second revocation (by another admin) changed nothing.
    expect(log).toContain('revoked by test-admin');
    expect(log).not.toContain('revoked by another-admin');
    for (const token of mintedTokens) {
      expect(log).not.toContain(token);
      expect(log).not.toContain(token.split('.')[2]);
    }
  });
});

describe('minted tokens while the revoked tokens cannot be read', () => {
  const clock = new ManualClock(Date.now());
  const { t } = useTestApp({ clock });

  it('answers a minted token 503 with Retry-After once the last read is 15 s old, and a CLI token as before', async () => {
    const minted = await t.request('POST', '/api/v1/auth/tokens', {
      body: { sub: 'during-outage', store_ids: [3], expires_in_seconds: WEEK },
    });
    const token = minted.body.data.token as string;
    mintedTokens.push(token);
    expect((await t.request('GET', '/api/v1/auth/me', { token })).status).toBe(200);

    await t.app.get(DataSource).destroy();
    // The refresh job runs (and fails) as the clock passes its due times; up to the limit, still honoured.
    await clock.advance(REVOCATIONS_STALE_MS - 1_000);
    expect((await t.request('GET', '/api/v1/auth/me', { token })).status).toBe(200);
    await clock.advance(2_000);

    const refused = await t.request('GET', '/api/v1/auth/me', { token });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/);
    expect(refused.body).toMatchObject({ code: 503, msg: REVOCATIONS_UNKNOWN_MESSAGE });
    // A token without jti (npm run token) cannot be revoked: nothing to check. /auth/me needs no database.
    expect((await t.request('GET', '/api/v1/auth/me')).status).toBe(200);
    // The failing read is logged once, not every two seconds.
    expect(t.logs.find('Revoked tokens not read')).toHaveLength(1);
    expect(t.logs.text()).not.toContain(token);
  });
});
