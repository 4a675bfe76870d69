import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TEST_JWT_SECRET } from '../support/test-app';
import { useTestApp } from '../support/use-test-app';

describe('foundation: HTTP conventions, auth, health, docs', () => {
  const { t } = useTestApp();

  it('answers /health with the database up', async () => {
    const response = await t.request('GET', '/health', { token: null });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', db: 'up', stream: { connected: 0, total: 0 } });
  });

  it('serves Swagger UI at /docs and the OpenAPI document at /docs-json without a token', async () => {
    const ui = await t.request('GET', '/docs', { token: null });
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
    const doc = await t.request('GET', '/docs-json', { token: null });
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toContain('/api/v1/auth/me');
    expect(doc.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('serves Prometheus metrics without a token', async () => {
    const response = await t.request('GET', '/metrics', { token: null });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(response.text).toContain('process_cpu_user_seconds_total');
  });

  it('wraps a successful answer in the envelope', async () => {
    const response = await t.request('GET', '/api/v1/auth/me', {
      token: t.token({ sub: 'alice', role: 'store_admin', store_ids: [3, 4] }),
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      code: 0,
      msg: 'success',
      data: { sub: 'alice', role: 'store_admin', store_ids: [3, 4] },
    });
  });

  describe('authentication', () => {
    const unauthorized = async (authorization: string | undefined) => {
      const response = await t.request('GET', '/api/v1/auth/me', {
        token: null,
        headers: authorization === undefined ? {} : { authorization },
      });
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ code: 401, request_id: expect.any(String) });
      expect(response.body.msg).toMatch(/token/i);
    };

    it('refuses a missing token', () => unauthorized(undefined));
    it('refuses a malformed header or token', async () => {
      await unauthorized('Token abc');
      await unauthorized('Bearer not-a-jwt');
    });
    it('refuses an expired token', () => unauthorized(`Bearer ${t.token({}, -10)}`));
    it('refuses a token signed with another secret', () =>
      unauthorized(
        `Bearer ${forge({ sub: 'x', role: 'admin' }, 'another-secret-another-secret-0123456789')}`,
      ));
    it('refuses an unsigned (alg none) token', async () => {
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      const payload = Buffer.from(JSON.stringify({ sub: 'x', role: 'admin' })).toString('base64url');
      await unauthorized(`Bearer ${header}.${payload}.`);
    });
    it('refuses a well-signed token with claims that are not ours', async () => {
      await unauthorized(`Bearer ${forge({ sub: 'x', role: 'root' }, TEST_JWT_SECRET)}`);
      await unauthorized(
        `Bearer ${forge({ sub: 'x', role: 'store_admin', store_ids: ['1'] }, TEST_JWT_SECRET)}`,
      );
      await unauthorized(`Bearer ${forge({ role: 'admin' }, TEST_JWT_SECRET)}`);
    });
  });

  it('answers unknown routes with the 404 envelope and a request id header', async () => {
    const response = await t.request('GET', '/api/v1/no-such-thing');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: 404, request_id: response.headers.get('x-request-id') });
  });

  it('keeps a sane caller-supplied request id and replaces an unsafe one', async () => {
    const kept = await t.request('GET', '/api/v1/nope', { headers: { 'x-request-id': 'abc-123' } });
    expect(kept.headers.get('x-request-id')).toBe('abc-123');
    expect(kept.body.request_id).toBe('abc-123');
    const replaced = await t.request('GET', '/api/v1/nope', { headers: { 'x-request-id': 'a b<script>' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('writes one structured line per request without the bearer token', async () => {
    const token = t.token({ sub: 'log-check' });
    await t.request('GET', '/api/v1/auth/me', { token });
    const line = t.logs.find('request completed').find((entry) => entry.url === '/api/v1/auth/me');
    expect(line).toMatchObject({ method: 'GET', status: 200, req_id: expect.any(String) });
    expect(t.logs.text()).not.toContain(token);
  });
});

function forge(payload: Record<string, unknown>, secret: string): string {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const signature = createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url');
  return `${header}.${body}.${signature}`;
}
