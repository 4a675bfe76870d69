import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, Simulator } from '../../simulator/simulator';

/**
 * Under docker compose the simulator listens on one address and the service reaches it by another (its compose
 * name): every URL the simulator hands out must be the one the service can reach.
 */
describe('simulator: a public URL other than the listening one', () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await startSimulator({ publicUrl: 'http://simulator:3900/' });
  });
  afterAll(async () => {
    await sim?.close();
  });

  async function post(path: string, body: unknown) {
    const response = await fetch(`${sim.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('names the public URL in the service configuration, webhook URLs and the Stream endpoint', async () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.env).toEqual({
      DINGTALK_OAPI_URL: 'http://simulator:3900',
      DINGTALK_API_URL: 'http://simulator:3900',
      DINGTALK_WEBHOOK_ORIGINS: 'http://simulator:3900',
    });
    const robot = await post('/_sim/robots', { name: '一号店厨房群' });
    expect(robot.status).toBe(201);
    expect(robot.body.webhook).toMatch(/^http:\/\/simulator:3900\/robot\/send\?access_token=/);

    const app = sim.state.registerApp();
    const opened = await post('/v1.0/gateway/connections/open', {
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      subscriptions: [{ type: 'CALLBACK', topic: '/v1.0/im/bot/messages/get' }],
    });
    expect(opened.status).toBe(200);
    expect(opened.body.endpoint).toBe('ws://simulator:3900/connect');
  });
});
