import { createHash } from 'node:crypto';

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

/** No robot known yet (a bot whose settings are incomplete): it counts its sends on its own. */
export const NO_ROBOT: RobotIdentity = { robotKey: null, appKey: null };

/** A custom robot is its webhook's access_token (on its origin and path). */
export function webhookRobotIdentity(webhook: string | null): RobotIdentity {
  if (!webhook) return NO_ROBOT;
  const url = new URL(webhook);
  const token = url.searchParams.get('access_token') ?? url.search;
  return { robotKey: `w:${sha256(`${url.origin}${url.pathname}\n${token}`)}`, appKey: null };
}

/**
 * An app robot is its app and where it sends: the group (open_conversation_id), or else the users it sends work
 * notifications to. One app serves a whole chain (docs/dingtalk-app-limits.md): keyed by the app alone, 300 stores'
 * work notifications would share one robot window; what the app shares across them (its calls a second, its
 * recipients a minute) is counted in windows of the app's own (the delivery queue's app windows).
 */
export function appRobotIdentity(app: {
  clientId: string | null;
  agentId: string | null;
  openConversationId: string | null;
  userIds: readonly string[];
}): RobotIdentity {
  if (!app.clientId) return NO_ROBOT;
  const target = app.openConversationId
    ? `group:${app.openConversationId}`
    : `users:${app.agentId ?? ''}:${[...app.userIds].sort().join(',')}`;
  return {
    robotKey: `s:${sha256(`${app.clientId}\n${target}`)}`,
    appKey: `a:${sha256(app.clientId)}`,
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
