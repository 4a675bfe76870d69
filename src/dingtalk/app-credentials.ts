/** An enterprise internal app, as DingTalk knows it (AppKey, AppSecret, AgentId: docs/dingtalk/access-tokens.md). */
export interface AppCredentials {
  clientId: string;
  clientSecret: string;
  agentId: string | null;
}
