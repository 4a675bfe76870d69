/** An enterprise internal app, as DingTalk knows it (SPEC §1: AppKey, AppSecret, AgentId). */
export interface AppCredentials {
  clientId: string;
  clientSecret: string;
  agentId: string | null;
}
