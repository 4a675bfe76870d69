import { createHash } from 'node:crypto';

/** What identifies the DingTalk robot (and app) a bot sends through. */
export interface RobotIdentitySource {
  botType: 'webhook' | 'stream';
  webhook: string | null;
  clientId: string | null;
  agentId: string | null;
  openConversationId: string | null;
}

export interface RobotIdentity {
  /**
   * The robot whose per-minute rate DingTalk counts (docs/dingtalk/custom-robot.md, "Rate limit and size"): two bots
   * with one webhook access_token are one robot (one group robot shared by two stores) and share one window. A
   * hash, so the token itself never sits in a column or a log line.
   */
  robotKey: string | null;
  /** The DingTalk app (client_id) of a stream bot: its organisation's API quota is the app's (null for webhooks). */
  appKey: string | null;
}

/**
 * A custom robot is its webhook's access_token (on its origin and path); an app robot is its app and where it sends:
 * the group (open_conversation_id), or else the work-notification agent.
 */
export function robotIdentity(bot: RobotIdentitySource): RobotIdentity {
  if (bot.botType === 'webhook') {
    if (!bot.webhook) return { robotKey: null, appKey: null };
    const url = new URL(bot.webhook);
    const token = url.searchParams.get('access_token') ?? url.search;
    return { robotKey: `w:${sha256(`${url.origin}${url.pathname}\n${token}`)}`, appKey: null };
  }
  if (!bot.clientId) return { robotKey: null, appKey: null };
  const target = bot.openConversationId ? `group:${bot.openConversationId}` : `agent:${bot.agentId ?? ''}`;
  return {
    robotKey: `s:${sha256(`${bot.clientId}\n${target}`)}`,
    appKey: `a:${sha256(bot.clientId)}`,
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
