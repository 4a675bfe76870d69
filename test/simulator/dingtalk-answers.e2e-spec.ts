import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { classifyOldApiAnswer, classifyWebhookAnswer } from '../../src/dingtalk/old-api-answers';
import { ManualClock } from '../support/clocks';
import { useSimulator } from '../support/use-test-app';

interface Raw {
  status: number;
  contentType: string;
  text: string;
}

/**
 * DingTalk answers with its own codes where a web framework would answer 4xx/5xx, and its gateway answers XML to a
 * client that does not ask for JSON (docs/dingtalk/README.md, docs/dingtalk/stream-mode.md).
 */
describe('simulator: DingTalk answers instead of framework errors, XML without Accept', () => {
  const clock = new ManualClock();
  const sim = useSimulator({ clock });

  /** Exactly these headers (fetch would add a Content-Type of its own to a string body). */
  function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
    return new Promise<Raw>((resolve, reject) => {
      const sent = request(`${sim.url}${path}`, { method, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            contentType: response.headers['content-type'] ?? '',
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      });
      sent.on('error', reject);
      sent.end(body);
    });
  }
  const json = (answer: Raw) => JSON.parse(answer.text) as Record<string, unknown>;

  describe('connections/open', () => {
    const credentials = () => {
      const app = sim.state.registerApp();
      return JSON.stringify({
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        subscriptions: [{ type: 'CALLBACK', topic: '/v1.0/im/bot/messages/get' }],
      });
    };

    it('answers XML without an Accept header, or with one that does not name JSON', async () => {
      for (const headers of [{}, { accept: '*/*' }, { accept: 'text/html' }] as Array<
        Record<string, string>
      >) {
        const answer = await raw(
          'POST',
          '/v1.0/gateway/connections/open',
          { 'content-type': 'application/json', ...headers },
          credentials(),
        );
        expect(answer.status).toBe(200);
        expect(answer.contentType).toMatch(/^application\/xml/);
        expect(answer.text).toMatch(
          /^<\?xml version="1\.0" encoding="UTF-8"\?><OpenConnectionResponse><endpoint>ws:\/\/127\.0\.0\.1:\d+\/connect<\/endpoint><ticket>[0-9a-f-]+<\/ticket><\/OpenConnectionResponse>$/,
        );
        expect(() => JSON.parse(answer.text)).toThrow();
      }
      const refused = await raw(
        'POST',
        '/v1.0/gateway/connections/open',
        { 'content-type': 'application/json' },
        JSON.stringify({ clientId: 'nope', clientSecret: 'x', subscriptions: [] }),
      );
      expect(refused.status).toBe(401);
      expect(refused.text).toMatch(/<Error><code>InvalidAuthentication<\/code>/);
    });

    it('answers JSON to Accept: application/json, and records what each client sent', async () => {
      const answer = await raw(
        'POST',
        '/v1.0/gateway/connections/open',
        { 'content-type': 'application/json', accept: 'application/json, text/plain, */*' },
        credentials(),
      );
      expect(answer.status).toBe(200);
      expect(json(answer)).toEqual({ endpoint: expect.any(String), ticket: expect.any(String) });
      const opens = (await (await fetch(`${sim.url}/_sim/stream/opens`)).json()) as Array<
        Record<string, unknown>
      >;
      expect(opens.at(-1)).toMatchObject({
        accept: 'application/json, text/plain, */*',
        contentType: 'application/json',
        status: 200,
      });
      expect(opens.filter((open) => open.accept === null)).toHaveLength(2);
      expect(opens.filter((open) => open.accept === '*/*')).toHaveLength(1);
    });
  });

  describe('custom robot webhooks and session replies', () => {
    const body = JSON.stringify({ msgtype: 'text', text: { content: 'hi' } });

    it.each<[string, Record<string, string>]>([
      ['no Content-Type', {}],
      ['an empty Content-Type', { 'content-type': '' }],
      ['application/xml', { 'content-type': 'application/xml' }],
      ['a form', { 'content-type': 'application/x-www-form-urlencoded' }],
    ])('answers %s with HTTP 200 and 43004', async (_what, headers) => {
      const robot = sim.state.registerRobot();
      const answer = await raw('POST', `/robot/send?access_token=${robot.token}`, headers, body);
      expect(answer.status).toBe(200);
      expect(json(answer)).toMatchObject({ errcode: 43004 });
      expect(classifyWebhookAnswer({ status: 200, json: json(answer), latencyMs: 0 }).kind).toBe('permanent');
      const [recorded] = sim.state.received({ target: robot.token });
      expect(recorded).toMatchObject({ errcode: 43004, contentType: headers['content-type'] || null });

      const session = sim.state.openSession({
        clientId: 'dingx',
        conversationId: 'cidX==',
        conversationType: '1',
        senderStaffId: 'u1',
      });
      const reply = await raw('POST', `/robot/sendBySession?session=${session.id}`, headers, body);
      expect(reply.status).toBe(200);
      expect(json(reply)).toMatchObject({ errcode: 43004 });
    });

    it('answers a body over the size limit with 460101, not a framework 413', async () => {
      const robot = sim.state.registerRobot();
      const huge = JSON.stringify({ msgtype: 'text', text: { content: 'x'.repeat(6 * 1024 * 1024) } });
      const answer = await raw(
        'POST',
        `/robot/send?access_token=${robot.token}`,
        { 'content-type': 'application/json' },
        huge,
      );
      expect(answer.status).toBe(200);
      expect(json(answer)).toMatchObject({ errcode: 460101 });
    });
  });

  describe('wrong methods and unknown paths', () => {
    it('answers POST /gettoken with 40035: the parameters belong in the query', async () => {
      const app = sim.state.registerApp();
      for (const [path, form] of [
        ['/gettoken', `appkey=${app.clientId}&appsecret=${app.clientSecret}`],
        [`/gettoken?appkey=${app.clientId}&appsecret=${app.clientSecret}`, ''],
      ]) {
        const answer = await raw('POST', path, { 'content-type': 'application/x-www-form-urlencoded' }, form);
        expect(answer.status).toBe(200);
        expect(json(answer)).toMatchObject({ errcode: 40035, errmsg: '缺少参数 corpid or appkey' });
        expect(classifyOldApiAnswer({ status: 200, json: json(answer), latencyMs: 0 }).kind).toBe(
          'permanent',
        );
      }
    });

    it('answers the old API with HTTP 200 and an errcode, the new API with its gateway error', async () => {
      expect(json(await raw('GET', '/robot/send?access_token=x'))).toMatchObject({
        errcode: 43002,
        errmsg: '需要POST请求',
      });
      expect(json(await raw('GET', '/topapi/message/corpconversation/asyncsend_v2'))).toMatchObject({
        errcode: 43002,
      });
      const unknownOld = await raw(
        'POST',
        '/topapi/nothing/here',
        { 'content-type': 'application/json' },
        '{}',
      );
      expect(unknownOld.status).toBe(200);
      expect(json(unknownOld)).toMatchObject({ errcode: 404 });

      for (const [method, path] of [
        ['POST', '/v1.0/robot/nothing'],
        ['GET', '/v1.0/robot/groupMessages/send'],
      ]) {
        const answer = await raw(method, path);
        expect(answer.status).toBe(404);
        expect(json(answer)).toMatchObject({ code: 'InvalidAction.NotFound', requestid: expect.any(String) });
      }
      const control = await raw('GET', '/_sim/nothing');
      expect(control.status).toBe(404);
      expect(json(control)).toMatchObject({ error: expect.stringContaining('/_sim/nothing') });
    });
  });
});
