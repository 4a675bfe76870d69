import { DWClient } from 'dingtalk-stream';

/**
 * DingTalk's own Node SDK (dingtalk-stream 2.1.5) against the simulator. The SDK has no setting for the gateway URL,
 * so `getEndpoint()` is overridden to ask the simulator; everything after that (WebSocket, frames, ACKs) is the SDK's
 * unmodified code.
 */
export class SimulatedDWClient extends DWClient {
  constructor(
    private readonly gatewayUrl: string,
    credentials: { clientId: string; clientSecret: string },
  ) {
    // A fresh subscription list per client: the SDK's default array is shared by every instance.
    super({ ...credentials, autoReconnect: false, subscriptions: [{ type: 'EVENT', topic: '*' }] } as never);
  }

  override async getEndpoint(): Promise<this> {
    const response = await fetch(`${this.gatewayUrl}/v1.0/gateway/connections/open`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        clientId: this.config.clientId,
        clientSecret: this.config.clientSecret,
        ua: '',
        subscriptions: this.config.subscriptions,
      }),
    });
    if (response.status !== 200) throw new Error(`connections/open answered ${response.status}`);
    const { endpoint, ticket } = (await response.json()) as { endpoint: string; ticket: string };
    (this as unknown as { dw_url: string }).dw_url = `${endpoint}?ticket=${ticket}`;
    return this;
  }
}
