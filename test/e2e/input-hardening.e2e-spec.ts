import { createHmac } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { bytesRequest, rawRequest } from '../support/raw-http';
import { startTestApp, TEST_JWT_SECRET, TestApp, TestResponse } from '../support/test-app';

const WEBHOOK = 'https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef0123456789abcdef';

/** Every answer is the error envelope, with the request id of its X-Request-Id header. */
function expectEnvelope(response: TestResponse, status: number): void {
  expect(response.status, response.text).toBe(status);
  expect(response.body).toEqual({
    code: status,
    msg: expect.any(String),
    ...(response.body?.errors ? { errors: expect.any(Array) } : {}),
    request_id: response.headers.get('x-request-id'),
  });
}

describe('input hardening: strict ids, no 500 for any input, the envelope for every error, auth first', () => {
  let t: TestApp;
  let db: DataSource;
  let port: number;
  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    port = Number(new URL(t.url).port);
  });
  afterAll(async () => {
    await t?.close();
  });

  const create = async (path: string, body: Record<string, unknown>) => {
    const response = await t.request('POST', path, { body });
    expect(response.status, response.text).toBe(201);
    return response.body.data.id as number;
  };
  const countRows = async (table: string) =>
    Number((await db.query(`SELECT count(*) AS n FROM ${table}`))[0].n);

  describe('loose ids', () => {
    it('refuses 01, +1, 0x10, 1e1, 1.0 and a space as a bot id, and deletes nothing', async () => {
      const id = await create('/api/v1/dingtalk-bots', { name: 'strict', store_id: 1, webhook: WEBHOOK });
      expect(id).toBe(1);
      for (const loose of ['01', '+1', '0x1', '1e0', '1.0', '%201', '1%20', '-1', '0']) {
        const response = await t.request('DELETE', `/api/v1/dingtalk-bots/${loose}`);
        expectEnvelope(response, 400);
        expect(response.body.errors).toEqual([
          { field: 'id', message: 'id must be a whole number from 1 to 2147483647 (digits only)' },
        ]);
      }
      expect((await t.request('GET', '/api/v1/dingtalk-bots/1')).status).toBe(200);
    });

    it('refuses 0x10 as a template id: template 16 stays', async () => {
      for (let n = 1; n <= 16; n += 1) {
        await create('/api/v1/message-templates', { name: `t${n}`, store_id: 1, title: 't', body: 'b' });
      }
      expectEnvelope(await t.request('DELETE', '/api/v1/message-templates/0x10'), 400);
      expect((await t.request('GET', '/api/v1/message-templates/16')).status).toBe(200);
    });

    it('answers ids beyond the column with a 400 naming the id, on every route with an id', async () => {
      const routes: Array<[string, string]> = [
        ['GET', '/api/v1/dingtalk-bots/2147483648'],
        ['PUT', '/api/v1/dingtalk-bots/2147483648'],
        ['DELETE', '/api/v1/dingtalk-bots/99999999999999999999'],
        ['POST', '/api/v1/dingtalk-bots/2147483648/test'],
        ['GET', '/api/v1/dingtalk-bots/2147483648/status'],
        ['GET', '/api/v1/menu-reports/2147483648'],
        ['GET', '/api/v1/message-templates/2147483648'],
        ['PUT', '/api/v1/message-templates/2147483648'],
        ['POST', '/api/v1/message-templates/2147483648/preview'],
        ['GET', '/api/v1/notifications/9223372036854775808'],
        ['POST', '/api/v1/notifications/9223372036854775808/resend'],
      ];
      for (const [method, path] of routes) {
        const response = await t.request(
          method,
          path,
          method === 'PUT' || path.endsWith('preview') ? { body: {} } : {},
        );
        expectEnvelope(response, 400);
        expect(response.body.errors[0].field).toBe('id');
      }
      // The largest ids of each column are valid ids of rows that do not exist.
      expectEnvelope(await t.request('GET', '/api/v1/dingtalk-bots/2147483647'), 404);
      expectEnvelope(await t.request('GET', '/api/v1/notifications/9223372036854775807'), 404);
    });

    it('parses page, page_size and filters as strictly, within the integer range', async () => {
      for (const list of ['dingtalk-bots', 'menu-reports', 'message-templates', 'notifications']) {
        for (const query of [
          'page=2147483648',
          'page=0x10',
          'page=01',
          'page=1.5',
          'page_size=101',
          'page_size=1e1',
          'store_id=2147483648',
          'store_id=+1',
        ]) {
          const response = await t.request('GET', `/api/v1/${list}?${query}`);
          expectEnvelope(response, 400);
          expect(response.body.errors).toHaveLength(1);
          expect(response.body.errors[0].message).toMatch(/must be a whole number from 1 to/);
        }
        expect((await t.request('GET', `/api/v1/${list}?page=2147483647&page_size=100`)).status).toBe(200);
      }
      for (const query of ['bot_id=2147483648', 'menu_report_id=0x1']) {
        expectEnvelope(await t.request('GET', `/api/v1/notifications?${query}`), 400);
      }
    });

    it('refuses integers beyond their column in bodies', async () => {
      const cases: Array<[string, Record<string, unknown>, string]> = [
        [
          '/api/v1/menu-reports',
          { store_id: 2147483648, dish_name: 'x', quantity: 1, unit: '份' },
          'store_id',
        ],
        ['/api/v1/menu-reports', { store_id: 1, dish_id: 2147483648, quantity: 1, unit: '份' }, 'dish_id'],
        [
          '/api/v1/dingtalk-bots',
          { name: 'x', store_id: 1, webhook: WEBHOOK, template_id: 2 ** 31 },
          'template_id',
        ],
        [
          '/api/v1/dingtalk-bots/batch-send',
          { bot_ids: [2147483648], content: 'x', msg_type: 'text' },
          'bot_ids',
        ],
      ];
      for (const [path, body, field] of cases) {
        const response = await t.request('POST', path, { body });
        expectEnvelope(response, 400);
        expect(response.body.errors).toEqual([{ field, message: expect.stringMatching(/2147483647/) }]);
      }
    });

    it('refuses a correctly signed token whose store ids are beyond the column (401, not 500)', async () => {
      const token = t.token({ sub: 'wide', role: 'store_admin', store_ids: [2147483648] });
      for (const list of [
        'dingtalk-bots',
        'menu-reports',
        'message-templates',
        'notifications',
        'stream/status',
      ]) {
        expectEnvelope(await t.request('GET', `/api/v1/${list}`, { token }), 401);
      }
      const nulSub = forge({ sub: 'a\u0000b', role: 'admin' });
      expectEnvelope(await t.request('GET', '/api/v1/menu-reports', { token: nulSub }), 401);
    });
  });

  describe('every wrong field at once, a missing store_id among them', () => {
    const fields = (response: TestResponse) =>
      (response.body.errors as Array<{ field: string }>).map((error) => error.field).sort();
    const TOO_LONG = 'x'.repeat(101);

    it.each([
      ['/api/v1/menu-reports', 'quantity', { dish_name: 'x', quantity: 0, unit: '份' }],
      ['/api/v1/dingtalk-bots', 'name', { name: TOO_LONG, webhook: WEBHOOK }],
      ['/api/v1/message-templates', 'name', { name: TOO_LONG, title: 't', body: 'b' }],
    ])('POST %s without store_id and with a wrong %s names both', async (path, wrong, body) => {
      const response = await t.request('POST', path, { body });
      expectEnvelope(response, 400);
      expect(fields(response)).toEqual([wrong, 'store_id'].sort());
      expect(response.body.errors).toContainEqual({
        field: 'store_id',
        message: 'store_id is required unless the token manages exactly one store',
      });

      // A store_admin with one store may leave store_id out: only the wrong field.
      const oneStore = t.token({ sub: 'one-store', role: 'store_admin', store_ids: [5] });
      const implied = await t.request('POST', path, { token: oneStore, body });
      expectEnvelope(implied, 400);
      expect(fields(implied)).toEqual([wrong]);
    });

    it('POST /api/v1/menu-reports names a missing store_id beside what the service refuses (no dish)', async () => {
      const response = await t.request('POST', '/api/v1/menu-reports', { body: { quantity: 1, unit: '份' } });
      expectEnvelope(response, 400);
      expect(fields(response)).toEqual(['dish_id', 'dish_name', 'store_id']);
    });

    it('POST /api/v1/dingtalk-bots names a bad webhook with the fields the pipe refuses, and the bot rules too', async () => {
      const response = await t.request('POST', '/api/v1/dingtalk-bots', {
        body: { name: '', webhook: 'nope', bogus: 1 },
      });
      expectEnvelope(response, 400);
      expect(fields(response)).toEqual(['bogus', 'name', 'store_id', 'webhook']);
      expect(response.body.errors).toContainEqual({
        field: 'webhook',
        message: 'webhook must be a URL such as https://oapi.dingtalk.com/robot/send?access_token=…',
      });

      // The rules on the whole bot: a missing webhook, another type's field, beside a field the pipe refuses.
      const rules = await t.request('POST', '/api/v1/dingtalk-bots', {
        body: { store_id: 1, name: 'x', secret: 'nope', client_id: 'app' },
      });
      expectEnvelope(rules, 400);
      expect(fields(rules)).toEqual(['client_id', 'secret', 'webhook']);

      // A refused bot_type leaves the type unknown: no guesses about which type's fields are missing.
      const badType = await t.request('POST', '/api/v1/dingtalk-bots', {
        body: { store_id: 1, name: 'x', bot_type: 'strem', client_id: 'app' },
      });
      expectEnvelope(badType, 400);
      expect(fields(badType)).toEqual(['bot_type']);
    });
  });

  it('says an empty text is empty, in plain words', async () => {
    const report = await t.request('POST', '/api/v1/menu-reports', {
      body: { store_id: 1, dish_name: '', quantity: 1, unit: '' },
    });
    expectEnvelope(report, 400);
    expect(report.body.errors).toEqual([
      { field: 'dish_name', message: 'dish_name must not be empty' },
      { field: 'unit', message: 'unit must not be empty' },
    ]);
    const bot = await t.request('POST', '/api/v1/dingtalk-bots', {
      body: { store_id: 1, name: '', webhook: WEBHOOK, at_user_ids: [''] },
    });
    expectEnvelope(bot, 400);
    expect(bot.body.errors).toEqual([
      { field: 'name', message: 'name must not be empty' },
      { field: 'at_user_ids', message: 'each value in at_user_ids must be 1 to 64 characters long' },
    ]);
  });

  describe('text with NUL and deep JSON', () => {
    it('answers NUL in any text field with a 400 naming the field, and stores nothing', async () => {
      const reports = await countRows('menu_reports');
      const cases: Array<[string, string, Record<string, unknown>, string]> = [
        [
          'POST',
          '/api/v1/menu-reports',
          { store_id: 1, dish_name: '宫保\u0000鸡丁', quantity: 1, unit: '份' },
          'dish_name',
        ],
        [
          'POST',
          '/api/v1/menu-reports',
          { store_id: 1, dish_name: 'x', quantity: 1, unit: '份', remark: '\u0000' },
          'remark',
        ],
        ['POST', '/api/v1/dingtalk-bots', { name: 'a\u0000', store_id: 1, webhook: WEBHOOK }, 'name'],
        [
          'POST',
          '/api/v1/dingtalk-bots',
          { name: 'a', store_id: 1, webhook: WEBHOOK, at_mobiles: ['138\u0000'] },
          'at_mobiles[0]',
        ],
        ['PUT', '/api/v1/dingtalk-bots/1', { name: '\u0000' }, 'name'],
        [
          'POST',
          '/api/v1/message-templates',
          { name: 'n', store_id: 1, title: 't', body: 'b\u0000' },
          'body',
        ],
        [
          'POST',
          '/api/v1/message-templates/1/preview',
          { values: { dish_name: '\u0000' } },
          'values.dish_name',
        ],
        [
          'POST',
          '/api/v1/dingtalk-bots/batch-send',
          { store_id: 1, msg_type: 'text', content: '\u0000' },
          'content',
        ],
      ];
      for (const [method, path, body, field] of cases) {
        const response = await t.request(method, path, { body });
        expectEnvelope(response, 400);
        expect(response.body.errors).toEqual([
          { field, message: `${field} must not contain the NUL character (\\u0000)` },
        ]);
      }
      expectEnvelope(await t.request('GET', '/api/v1/menu-reports?date_from=2026-11-01%00'), 400);
      expect(await countRows('menu_reports')).toBe(reports);
    });

    it('answers JSON nested 5,000 deep with a 400, and JSON 3 deep as usual', async () => {
      const deep = `{"store_id":1,"dish_name":"x","quantity":1,"unit":"份","remark":${'['.repeat(5000)}${']'.repeat(5000)}}`;
      const response = await t.request('POST', '/api/v1/menu-reports', { rawBody: deep });
      expectEnvelope(response, 400);
      expect(response.body.msg).toBe('The request body is nested deeper than 32 levels');
      const values = await t.request('POST', '/api/v1/message-templates/1/preview', {
        body: { values: { dish_name: '米饭' } },
      });
      expect(values.status, values.text).toBe(200);
    });
  });

  describe('answers outside the envelope', () => {
    it('a bad URL encoding (%FF): 400 in the envelope', async () => {
      const response = await t.request('GET', '/api/v1/dingtalk-bots/%FF');
      expectEnvelope(response, 400);
      expect(response.body.msg).toMatch(/URL is not valid/);
    });

    it('a 5,000-character id: 414 in the envelope', async () => {
      expectEnvelope(await t.request('GET', `/api/v1/dingtalk-bots/${'1'.repeat(5000)}`), 414);
    });

    it('a 100 KB query string: 431 in the envelope, with a request id', async () => {
      const answer = await rawRequest(
        port,
        `GET /api/v1/dingtalk-bots?q=${'a'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
      );
      expect(answer.status).toBe(431);
      const requestId = /x-request-id: (\S+)/i.exec(answer.headers)?.[1];
      expect(JSON.parse(answer.body)).toEqual({
        code: 431,
        msg: expect.stringMatching(/16 KiB/),
        request_id: requestId,
      });
    });

    it('a method HTTP does not know: 400 in the envelope; one the API does not serve: 404 in the envelope', async () => {
      const answer = await rawRequest(port, 'FOO /api/v1/dingtalk-bots HTTP/1.1\r\nHost: x\r\n\r\n');
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toEqual({
        code: 400,
        msg: expect.any(String),
        request_id: expect.any(String),
      });
      expectEnvelope(await t.request('PATCH', '/api/v1/dingtalk-bots/1', { body: {} }), 404);
      expectEnvelope(await t.request('PROPFIND', '/api/v1/dingtalk-bots'), 404);
    });

    it('a body that is not JSON: one 415 saying to send application/json', async () => {
      for (const contentType of [
        'application/x-www-form-urlencoded',
        'text/plain',
        'application/octet-stream',
      ]) {
        const response = await t.request('POST', '/api/v1/menu-reports', {
          rawBody: '{"store_id":1,"dish_name":"x","quantity":1,"unit":"份"}',
          headers: { 'content-type': contentType },
        });
        expectEnvelope(response, 415);
        expect(response.body.msg).toBe('The request body must be JSON: send Content-Type: application/json');
      }
    });
  });

  describe('bodies that are not what they say', () => {
    const post = (body: Buffer, headers: Record<string, string> = {}) =>
      bytesRequest(`${t.url}/api/v1/menu-reports`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${t.token()}`,
          'content-type': 'application/json',
          ...headers,
        },
        body,
      });
    const report = (dishName: string) => `{"store_id":1,"dish_name":"${dishName}","quantity":1,"unit":"份"}`;
    const expectRefused = (
      answer: { status: number; headers: Record<string, unknown>; body: unknown },
      status: number,
      msg: RegExp,
    ) => {
      expect(answer.status, JSON.stringify(answer.body)).toBe(status);
      expect(answer.body).toEqual({
        code: status,
        msg: expect.stringMatching(msg) as string,
        ...((answer.body as { errors?: unknown }).errors ? { errors: expect.any(Array) as unknown } : {}),
        request_id: answer.headers['x-request-id'],
      });
    };

    it('refuses bytes that are not UTF-8 (f\\xc3(z, an encoded surrogate, a cut sequence) with a 400, and stores nothing', async () => {
      const before = await countRows('menu_reports');
      const withDish = (bytes: number[]) =>
        Buffer.concat([
          Buffer.from('{"store_id":1,"dish_name":"f'),
          Buffer.from(bytes),
          Buffer.from('z","quantity":1,"unit":"x"}'),
        ]);
      const invalid = [
        withDish([0xc3, 0x28]), // f\xc3(z: a lead byte without its continuation
        withDish([0xed, 0xa0, 0x80]), // U+D800 encoded as if it were a character
        withDish([0xff]),
        withDish([0xc0, 0xaf]), // an overlong '/'
        Buffer.from(report('饭')).subarray(0, 29), // cut inside 饭
      ];
      for (const body of invalid) {
        expectRefused(await post(body), 400, /not valid UTF-8/);
      }
      expect(await countRows('menu_reports')).toBe(before);
    });

    it('refuses a lone surrogate written as a JSON escape with a 400 naming the field; a real pair is kept', async () => {
      const before = await countRows('menu_reports');
      for (const dish of ['\\ud800', 'a\\udfff', '\\udc00\\ud800']) {
        const answer = await post(Buffer.from(report(dish)));
        expectRefused(answer, 400, /dish_name/);
        expect(answer.body.errors).toEqual([
          { field: 'dish_name', message: expect.stringMatching(/surrogate/) as string },
        ]);
      }
      expect(await countRows('menu_reports')).toBe(before);
      const noodles = await post(Buffer.from(report('\\ud83c\\udf5c')));
      expect(noodles.status, JSON.stringify(noodles.body)).toBe(201);
      expect(noodles.body.data.dish_name).toBe('🍜');
      const stored = await t.request('GET', `/api/v1/menu-reports/${noodles.body.data.id}`);
      expect(stored.body.data.dish_name).toBe('🍜');
    });

    it('refuses a charset other than UTF-8 with a 415; utf-8 in any spelling is fine', async () => {
      const before = await countRows('menu_reports');
      const utf16 = Buffer.from(`\ufeff${report('饭')}`, 'utf16le');
      expectRefused(await post(utf16, { 'content-type': 'application/json; charset=utf-16' }), 415, /UTF-8/);
      expectRefused(
        await post(Buffer.from(report('caf\u00e9'), 'latin1'), {
          'content-type': 'application/json; charset=latin1',
        }),
        415,
        /UTF-8/,
      );
      expectRefused(
        await post(Buffer.from(report('x')), { 'content-type': 'application/json;charset=ISO-8859-1' }),
        415,
        /UTF-8/,
      );
      expect(await countRows('menu_reports')).toBe(before);
      for (const contentType of [
        'application/json; charset=utf-8',
        'application/json; charset="UTF-8"',
        'Application/JSON;Charset=utf8',
      ]) {
        const answer = await post(Buffer.from(report('饭')), { 'content-type': contentType });
        expect(answer.status, `${contentType}: ${JSON.stringify(answer.body)}`).toBe(201);
      }
    });

    it('refuses a body with a Content-Encoding (gzip or any other) with a 415: bodies are not decompressed', async () => {
      const before = await countRows('menu_reports');
      const plain = Buffer.from(report('饭'));
      expectRefused(await post(plain, { 'content-encoding': 'gzip' }), 415, /Content-Encoding/);
      expectRefused(await post(gzipSync(plain), { 'content-encoding': 'gzip' }), 415, /Content-Encoding/);
      expectRefused(await post(plain, { 'content-encoding': 'br' }), 415, /Content-Encoding/);
      expectRefused(await post(plain, { 'content-encoding': 'identity, gzip' }), 415, /Content-Encoding/);
      expect(await countRows('menu_reports')).toBe(before);
      expect((await post(plain, { 'content-encoding': 'identity' })).status).toBe(201);
    });
  });

  describe('auth before the body', () => {
    it('a forged or missing token is a 401 whatever the body: empty, malformed, not JSON, too large', async () => {
      const forged = forge({ sub: 'x', role: 'admin' }, 'another-secret-another-secret-0123456789');
      const bodies: Array<{ rawBody?: string; headers?: Record<string, string> }> = [
        { rawBody: '', headers: { 'content-type': 'application/json' } },
        { rawBody: '{"store_id":', headers: { 'content-type': 'application/json' } },
        { rawBody: 'store_id=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
        { rawBody: `{"x":"${'a'.repeat(1024 * 1024)}"}`, headers: { 'content-type': 'application/json' } },
        {
          rawBody: `{"remark":${'['.repeat(5000)}${']'.repeat(5000)}}`,
          headers: { 'content-type': 'application/json' },
        },
      ];
      for (const token of [forged, null]) {
        for (const body of bodies) {
          const response = await t.request('POST', '/api/v1/menu-reports', { ...body, token });
          expectEnvelope(response, 401);
        }
      }
      expectEnvelope(await t.request('GET', '/api/v1/dingtalk-bots/0x10', { token: null }), 401);
    });
  });
});

function forge(payload: Record<string, unknown>, secret = TEST_JWT_SECRET): string {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const signature = createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url');
  return `${header}.${body}.${signature}`;
}
