import { describe, expect, it } from 'vitest';
import { givenWebhookBot } from '../support/given';
import { useTestApp } from '../support/use-test-app';

const WEEK = 7 * 24 * 3600;

describe('POST /api/v1/auth/tokens: an admin makes a store admin token', () => {
  const { t } = useTestApp();

  const mint = (body: unknown, token?: string) => t.request('POST', '/api/v1/auth/tokens', { body, token });

  it('answers a token for the chosen stores that the API then honours, with its expiry', async () => {
    const before = Date.now();
    const minted = await mint({ sub: 'store-3-manager', store_ids: [3, 4], expires_in_seconds: WEEK });
    expect(minted.status).toBe(201);
    expect(minted.body.data).toEqual({
      token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      sub: 'store-3-manager',
      role: 'store_admin',
      store_ids: [3, 4],
      expires_at: expect.any(String),
    });
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
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<
      string,
      unknown
    >;
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
});
