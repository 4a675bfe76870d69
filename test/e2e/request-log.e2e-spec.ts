import { beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../support/raw-http';
import { waitFor } from '../support/wait-for';
import { useTestApp } from '../support/use-test-app';

/**
 * Every answer leaves exactly one access-log line ("request completed") with its request id, status, method and
 * URL — also the answers Fastify's router gives before any hook runs (a %-escape that is not UTF-8, a path
 * parameter over 100 characters) and those Node's HTTP parser gives before Fastify has a request (headers over
 * 16 KiB, a method HTTP does not know). A request id a caller finds in a response is one an operator can find
 * in the log.
 */
describe('one log line for every answer', () => {
  const { t } = useTestApp();
  let port: number;
  beforeAll(() => {
    port = Number(new URL(t.url).port);
  });

  const accessLines = (requestId: string) =>
    t.logs.find('request completed').filter((line) => line.req_id === requestId);

  const expectOneLine = async (requestId: string | null | undefined, status: number, url?: string) => {
    expect(requestId).toEqual(expect.any(String));
    await waitFor(() => accessLines(requestId!).length > 0, `the log line of request ${requestId}`, 5_000);
    const lines = accessLines(requestId!);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', context: 'http', req_id: requestId, status });
    if (url !== undefined) expect(lines[0].url).toBe(url);
  };

  it.each([
    ['an answer of a route', 'GET', '/api/v1/dingtalk-bots', 200],
    ['a missing token', 'GET', '/api/v1/dingtalk-bots?token=none', 401],
    ['a route we do not serve', 'GET', '/api/v1/nothing-here', 404],
    ['a bad URL encoding (%FF)', 'GET', '/api/v1/dingtalk-bots/%FF', 400],
    ['a path parameter over 100 characters', 'GET', `/api/v1/dingtalk-bots/${'1'.repeat(5000)}`, 414],
  ])('%s (%s)', async (_name, method, path, status) => {
    const response = await t.request(method, path, path.includes('token=none') ? { token: null } : {});
    expect(response.status).toBe(status);
    await expectOneLine(response.headers.get('x-request-id'), status, path);
  });

  it('malformed JSON (400), a body that is not JSON (415) and one over 1 MiB (413)', async () => {
    const malformed = await t.request('POST', '/api/v1/menu-reports', { rawBody: '{"store_id":' });
    expect(malformed.status).toBe(400);
    await expectOneLine(malformed.headers.get('x-request-id'), 400);
    const form = await t.request('POST', '/api/v1/menu-reports', {
      rawBody: 'a=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    await expectOneLine(form.headers.get('x-request-id'), 415);
    const huge = await t.request('POST', '/api/v1/menu-reports', { rawBody: `"${'x'.repeat(1_100_000)}"` });
    expect(huge.status).toBe(413);
    await expectOneLine(huge.headers.get('x-request-id'), 413);
  });

  it("headers over 16 KiB (431) and a method HTTP does not know (400), answered by Node's parser", async () => {
    const long = await rawRequest(
      port,
      `GET /api/v1/dingtalk-bots?q=${'a'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    );
    expect(long.status).toBe(431);
    await expectOneLine(long.requestId, 431);
    const unknown = await rawRequest(port, 'FOO /api/v1/dingtalk-bots HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(unknown.status).toBe(400);
    await expectOneLine(unknown.requestId, 400);
  });

  it("masks a caller's DingTalk secrets in the logged URL, also in a request line Node's parser refused", async () => {
    const secrets = 'access_token=0123456789abcdef0123&sign=c2lnbmF0dXJlc2VjcmV0';
    const routed = await t.request('GET', `/api/v1/dingtalk-bots?${secrets}`);
    expect(routed.status).toBe(400); // unknown query parameters
    await expectOneLine(
      routed.headers.get('x-request-id'),
      400,
      '/api/v1/dingtalk-bots?access_token=[redacted]&sign=[redacted]',
    );
    const refused = await rawRequest(
      port,
      `FOO /api/v1/dingtalk-bots?${secrets} HTTP/1.1\r\nHost: x\r\n\r\n`,
    );
    expect(refused.status).toBe(400);
    await expectOneLine(refused.requestId, 400);
    const logged = JSON.stringify(t.logs.find('request completed'));
    expect(logged).not.toContain('0123456789abcdef0123');
    expect(logged).not.toContain('c2lnbmF0dXJlc2VjcmV0');
  });

  it("keeps a caller's sane X-Request-Id in the line, also for the router's own answers", async () => {
    const response = await t.request('GET', '/api/v1/dingtalk-bots/%FF', {
      headers: { 'x-request-id': 'trace-abc.123' },
    });
    expect(response.headers.get('x-request-id')).toBe('trace-abc.123');
    await expectOneLine('trace-abc.123', 400);
  });
});
