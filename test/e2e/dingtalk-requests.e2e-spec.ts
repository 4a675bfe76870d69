import { describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait-for';
import { useTestApp } from '../support/use-test-app';
import { givenStreamBot, givenWebhookBot, signedRobotFields } from '../support/given';

/**
 * The requests themselves, as a simulator that answers like DingTalk sees them: `connections/open` must say
 * `Accept: application/json` (else XML comes back, docs/dingtalk/stream-mode.md), a webhook post needs a JSON
 * `Content-Type` (else `43004`, docs/dingtalk/custom-robot.md), and the app APIs get what they need where they look.
 */
describe('what the service sends to DingTalk, as the simulator sees it', () => {
  const { sim, t } = useTestApp({ simulator: true });

  it('opens Stream connections asking for JSON, with a JSON body, and gets JSON', async () => {
    const app = sim.state.registerApp();
    await givenStreamBot(t, app, { name: 'stream', store_id: 61, user_ids: ['manager61'] });
    await waitFor(() => sim.stream.connections(app.clientId).length === 1, 'the bot connected');
    const opens = sim.stream.opens.filter((open) => open.clientId === app.clientId);
    expect(opens.length).toBeGreaterThan(0);
    for (const open of opens) {
      expect(open.accept).toMatch(/application\/json/);
      expect(open.contentType).toMatch(/^application\/json/);
      expect(open.status).toBe(200);
    }
  });

  it('posts webhook messages with a JSON Content-Type, which DingTalk accepts', async () => {
    const robot = sim.state.registerRobot({ secret: 'SECrequests0123456789' });
    await givenWebhookBot(t, {
      name: 'webhook',
      store_id: 62,
      ...signedRobotFields(sim, robot),
    });
    const reported = await t.request('POST', '/api/v1/menu-reports', {
      body: { store_id: 62, dish_name: '回锅肉', quantity: 2, unit: '份' },
    });
    expect(reported.status, reported.text).toBe(201);
    await waitFor(() => sim.state.received({ target: robot.token }).length === 1, 'the webhook message');
    const [message] = sim.state.received({ target: robot.token });
    expect(message).toMatchObject({ errcode: 0, signature: 'valid' });
    expect(message.contentType).toMatch(/^application\/json/);
  });
});
