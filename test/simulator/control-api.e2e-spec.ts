import { describe, expect, it } from 'vitest';
import { Simulator } from '../../simulator/simulator';
import { ManualClock } from '../support/clocks';
import { useSimulator } from '../support/use-test-app';

async function call(sim: Simulator, method: string, path: string, body?: unknown) {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown> & { members?: string[] },
  };
}

describe('simulator: control API', () => {
  const clock = new ManualClock();
  const sim = useSimulator({ clock });

  it('registers apps and lists them with their credentials', async () => {
    const created = await call(sim, 'POST', '/_sim/apps', {
      client_id: 'dingapp1',
      client_secret: 's3cret',
      agent_id: '4242',
      token_ttl_seconds: 60,
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      client_id: 'dingapp1',
      client_secret: 's3cret',
      agent_id: '4242',
      robot_code: 'dingapp1',
      token_ttl_seconds: 60,
      flow_controlled_user_ids: [],
      invalid_user_ids: [],
      flow_control_all: false,
      failed_user_ids: [],
      send_result_delay_ms: 0,
      monthly_quota: null,
    });
    expect((await call(sim, 'GET', '/_sim/apps')).body).toContainEqual(created.body);
  });

  it('registers a group with the app robot in it, and adds to it instead of duplicating', async () => {
    const created = await call(sim, 'POST', '/_sim/conversations', {
      title: '门店一群',
      client_id: 'dingapp1',
      members: ['manager1'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      open_conversation_id: expect.stringMatching(/^cid.+==$/),
      title: '门店一群',
      type: 'group',
      client_ids: ['dingapp1'],
      members: ['manager1'],
    });
    const again = await call(sim, 'POST', '/_sim/conversations', {
      open_conversation_id: created.body.open_conversation_id,
      members: ['cook2'],
    });
    expect(again.body.members).toEqual(['manager1', 'cook2']);
    expect((await call(sim, 'GET', '/_sim/conversations')).body).toHaveLength(1);
  });

  it('refuses a conversation for an unknown app', async () => {
    const refused = await call(sim, 'POST', '/_sim/conversations', { title: 'x', client_id: 'nobody' });
    expect(refused.status).toBe(400);
  });

  it('reuses the one-to-one chat of a robot and a staff member', () => {
    const first = sim.state.ensureConversation({ type: 'single', clientId: 'dingapp1', members: ['u1'] });
    const second = sim.state.ensureConversation({ type: 'single', clientId: 'dingapp1', members: ['u1'] });
    const other = sim.state.ensureConversation({ type: 'single', clientId: 'dingapp1', members: ['u2'] });
    expect(second.id).toBe(first.id);
    expect(other.id).not.toBe(first.id);
  });

  it('plays the per-IP ceiling: past max_calls in the window every call gets the block answer until it ends', async () => {
    const robot = sim.state.registerRobot({});
    const send = () =>
      call(sim, 'POST', `/robot/send?access_token=${robot.token}`, {
        msgtype: 'text',
        text: { content: 'x' },
      });
    expect(
      (await call(sim, 'PUT', '/_sim/ip-limit', { window_ms: 20_000, max_calls: 2, block_ms: 300_000 }))
        .status,
    ).toBe(200);
    expect((await send()).body).toMatchObject({ errcode: 0 });
    expect((await send()).body).toMatchObject({ errcode: 0 });
    expect((await send()).body).toMatchObject({ status: 1111, wait: 5, punish: 'deny' });
    expect((await call(sim, 'GET', '/_sim/ip-limit')).body).toMatchObject({ passed: 2, blocked: 1 });
    expect((await call(sim, 'DELETE', '/_sim/ip-limit')).status).toBe(200);
    expect((await send()).body).toMatchObject({ errcode: 0 });
  });

  it('clears conversations on reset', async () => {
    await call(sim, 'POST', '/_sim/reset');
    expect((await call(sim, 'GET', '/_sim/conversations')).body).toEqual([]);
    expect((await call(sim, 'GET', '/_sim/apps')).body).toEqual([]);
  });
});
