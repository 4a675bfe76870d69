import { describe, expect, it } from 'vitest';
import { robotIdentity, RobotIdentitySource } from './robot-identity';

const TOKEN = '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f9a8b';
const webhook = (token: string, extra = ''): RobotIdentitySource => ({
  botType: 'webhook',
  webhook: `https://oapi.dingtalk.com/robot/send?access_token=${token}${extra}`,
  clientId: null,
  agentId: null,
  openConversationId: null,
});
const stream = (clientId: string, group: string | null, agentId = '836390886'): RobotIdentitySource => ({
  botType: 'stream',
  webhook: null,
  clientId,
  agentId,
  openConversationId: group,
});

describe('robotIdentity: whose rate window a bot shares', () => {
  it('one webhook access_token is one robot, whatever else the URL carries; the token itself is not in the key', () => {
    const key = robotIdentity(webhook(TOKEN)).robotKey!;
    expect(robotIdentity(webhook(TOKEN, '&foo=1')).robotKey).toBe(key);
    expect(robotIdentity(webhook(`${TOKEN.slice(0, -1)}0`)).robotKey).not.toBe(key);
    expect(key).toMatch(/^w:[0-9a-f]{64}$/);
    expect(key).not.toContain(TOKEN.slice(0, 16));
    expect(robotIdentity(webhook(TOKEN)).appKey).toBeNull();
  });

  it("an app robot is its app and its group (or its work-notification agent); the app's key is shared", () => {
    const inGroup = robotIdentity(stream('dingapp1', 'cidA'));
    expect(robotIdentity(stream('dingapp1', 'cidA')).robotKey).toBe(inGroup.robotKey);
    expect(robotIdentity(stream('dingapp1', 'cidB')).robotKey).not.toBe(inGroup.robotKey);
    expect(robotIdentity(stream('dingapp1', null)).robotKey).not.toBe(inGroup.robotKey);
    expect(robotIdentity(stream('dingapp1', 'cidB')).appKey).toBe(inGroup.appKey);
    expect(robotIdentity(stream('dingapp2', 'cidA')).appKey).not.toBe(inGroup.appKey);
  });
});
