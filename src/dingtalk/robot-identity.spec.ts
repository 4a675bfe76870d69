import { describe, expect, it } from 'vitest';
import { appRobotIdentity, webhookRobotIdentity } from './robot-identity';

const TOKEN = '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f9a8b';
const webhook = (token: string, extra = '') =>
  webhookRobotIdentity(`https://oapi.dingtalk.com/robot/send?access_token=${token}${extra}`);
const stream = (clientId: string, group: string | null, userIds: string[] = ['manager1']) =>
  appRobotIdentity({ clientId, agentId: '836390886', openConversationId: group, userIds });

describe('robot identity: whose rate window a bot shares', () => {
  it('one webhook access_token is one robot, whatever else the URL carries; the token itself is not in the key', () => {
    const key = webhook(TOKEN).robotKey!;
    expect(webhook(TOKEN, '&foo=1').robotKey).toBe(key);
    expect(webhook(`${TOKEN.slice(0, -1)}0`).robotKey).not.toBe(key);
    expect(key).toMatch(/^w:[0-9a-f]{64}$/);
    expect(key).not.toContain(TOKEN.slice(0, 16));
    expect(webhook(TOKEN).appKey).toBeNull();
  });

  it("an app robot is its app and its group (or its work notifications' users); the app's key is shared", () => {
    const inGroup = stream('dingapp1', 'cidA');
    expect(stream('dingapp1', 'cidA', ['other']).robotKey).toBe(inGroup.robotKey);
    expect(stream('dingapp1', 'cidB').robotKey).not.toBe(inGroup.robotKey);
    expect(stream('dingapp1', null).robotKey).not.toBe(inGroup.robotKey);
    // Two stores' managers, on the chain's one app: a window each, not one for the whole chain.
    expect(stream('dingapp1', null, ['manager1']).robotKey).not.toBe(
      stream('dingapp1', null, ['manager2']).robotKey,
    );
    expect(stream('dingapp1', null, ['a', 'b']).robotKey).toBe(stream('dingapp1', null, ['b', 'a']).robotKey);
    expect(stream('dingapp1', 'cidB').appKey).toBe(inGroup.appKey);
    expect(stream('dingapp2', 'cidA').appKey).not.toBe(inGroup.appKey);
  });

  it('no robot while the settings lack one (no webhook, no client_id)', () => {
    expect(webhookRobotIdentity(null)).toEqual({ robotKey: null, appKey: null });
    expect(
      appRobotIdentity({ clientId: null, agentId: '1', openConversationId: 'cidA', userIds: [] }),
    ).toEqual({
      robotKey: null,
      appKey: null,
    });
  });
});
