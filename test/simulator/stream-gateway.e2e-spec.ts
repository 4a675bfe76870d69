import { DWClient, DWClientDownStream, TOPIC_ROBOT } from 'dingtalk-stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SimApp } from '../../simulator/core/simulator-state';
import { startSimulator, Simulator } from '../../simulator/simulator';
import { ManualClock } from '../support/clocks';
import { waitFor } from '../support/wait-for';

/**
 * DingTalk's own Node SDK (dingtalk-stream 2.1.5) has no setting for the gateway URL (protocol §1.12), so the
 * test overrides `getEndpoint()` to ask the simulator; everything after that (WebSocket, frames, ACKs) is the
 * SDK's unmodified code.
 */
class SimulatedDWClient extends DWClient {
  constructor(
    private readonly gatewayUrl: string,
    credentials: { clientId: string; clientSecret: string },
  ) {
    // A fresh subscription list per client: the SDK's default array is shared by every instance (protocol §1.13).
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

async function post(url: string, body: unknown) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('simulator: Stream gateway, spoken to by the official SDK', () => {
  const clock = new ManualClock();
  let sim: Simulator;
  let app: SimApp;
  const clients: DWClient[] = [];

  beforeAll(async () => {
    sim = await startSimulator({ clock, stream: { redeliveryDelayMs: 60_000 } });
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.disconnect();
  });
  afterAll(() => sim.close());

  async function connectedClient(onMessage?: (client: DWClient, message: DWClientDownStream) => void) {
    app = sim.state.registerApp();
    const client = new SimulatedDWClient(sim.url, app);
    client.registerCallbackListener(TOPIC_ROBOT, (message) => onMessage?.(client, message));
    clients.push(client);
    await client.connect();
    expect(client.connected).toBe(true);
    await waitFor(() => sim.stream.connections(app.clientId).length === 1);
    return { client, connection: sim.stream.connections(app.clientId)[0] };
  }

  it('connects with a ticket, delivers a bot message with every field, and records the ACK', async () => {
    const received: DWClientDownStream[] = [];
    await connectedClient((client, message) => {
      received.push(message);
      client.socketCallBackResponse(message.headers.messageId, { ok: true });
    });
    const { status, body } = await post(`${sim.url}/_sim/stream/bot-messages`, {
      client_id: app.clientId,
      conversation_type: '2',
      conversation_title: '一号店',
      sender_staff_id: 'staff42',
      text: '报菜 宫保鸡丁 50 份',
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({ delivered: true, msg_id: expect.stringMatching(/^msg/) });

    await waitFor(() => received.length === 1);
    const [frame] = received;
    expect(frame.type).toBe('CALLBACK');
    expect(frame.headers).toMatchObject({
      topic: TOPIC_ROBOT,
      contentType: 'application/json',
      messageId: body.message_id,
      time: String(clock.now()),
      appId: app.clientId,
    });
    expect(typeof frame.data).toBe('string');
    const data = JSON.parse(frame.data) as Record<string, unknown>;
    expect(data).toMatchObject({
      msgId: body.msg_id,
      msgtype: 'text',
      text: { content: ' 报菜 宫保鸡丁 50 份' },
      conversationType: '2',
      conversationTitle: '一号店',
      senderStaffId: 'staff42',
      robotCode: app.clientId,
      isInAtList: true,
      createAt: clock.now(),
      sessionWebhookExpiredTime: clock.now() + 90 * 60 * 1000,
    });
    for (const field of ['conversationId', 'senderId', 'senderNick', 'senderCorpId', 'chatbotUserId']) {
      expect(data[field], field).toEqual(expect.any(String));
    }
    expect(data.sessionWebhook).toMatch(new RegExp(`^${sim.url}/robot/sendBySession\\?session=[0-9a-f]+$`));

    const messageId = body.message_id as string;
    await waitFor(() => sim.stream.acksOf(messageId).length === 1);
    expect(sim.stream.acksOf(messageId)[0]).toMatchObject({ code: 200, message: 'OK' });
    await clock.advance(5 * 60_000);
    expect(sim.stream.deliveriesOf(messageId)).toBe(1);
  });

  it('redelivers a callback the client did not ACK, after the configured delay', async () => {
    const received: string[] = [];
    await connectedClient((_client, message) => received.push(message.headers.messageId));
    const { messageId } = sim.stream.sendBotMessage({
      clientId: app.clientId,
      conversationType: '1',
      text: '今日',
    });
    await waitFor(() => received.length === 1);
    await clock.advance(59_000);
    expect(received).toHaveLength(1);
    await clock.advance(1_000);
    await waitFor(() => received.length === 2);
    expect(received).toEqual([messageId, messageId]);
    expect(sim.stream.deliveriesOf(messageId)).toBe(2);
  });

  it('sends a SYSTEM ping and sees the SDK echo it', async () => {
    const { connection } = await connectedClient();
    const ping = sim.stream.ping(connection.id);
    await waitFor(() => sim.stream.pingAnswered(ping.messageId, ping.opaque));
  });

  it('sends disconnect and closes the socket about 10 s later', async () => {
    const { client, connection } = await connectedClient();
    sim.stream.disconnect(connection.id);
    await waitFor(() => client.connected === false); // the SDK marks itself disconnected but keeps the socket
    await clock.advance(9_000);
    expect(sim.stream.connections(app.clientId)).toHaveLength(1);
    await clock.advance(1_000);
    await waitFor(() => sim.stream.connections(app.clientId).length === 0);
    expect(() =>
      sim.stream.sendBotMessage({ clientId: app.clientId, conversationType: '1', text: 'x' }),
    ).toThrow(/no live Stream connection/);
  });

  it('refuses bad credentials and a reused ticket, and fails connections/open on request', async () => {
    app = sim.state.registerApp();
    const bad = await post(`${sim.url}/v1.0/gateway/connections/open`, {
      clientId: app.clientId,
      clientSecret: 'wrong',
      subscriptions: [],
    });
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ code: 'InvalidAuthentication' });

    const good = await post(`${sim.url}/v1.0/gateway/connections/open`, {
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      subscriptions: [{ type: 'CALLBACK', topic: TOPIC_ROBOT }],
    });
    expect(good.status).toBe(200);
    const url = `${good.body.endpoint as string}?ticket=${good.body.ticket as string}`;
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/connect\?ticket=/);
    const first = new WebSocket(url);
    await new Promise((resolve, reject) => first.once('open', resolve).once('error', reject));
    const again = new WebSocket(url);
    const refused = await new Promise<number>((resolve) =>
      again.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0)),
    );
    expect(refused).toBe(401);
    first.terminate();

    await post(`${sim.url}/_sim/stream/refuse-open`, { client_id: app.clientId, count: 1, mode: 'http_500' });
    const refusedOnce = await post(`${sim.url}/v1.0/gateway/connections/open`, {
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      subscriptions: [],
    });
    expect(refusedOnce.status).toBe(500);
  });

  it('answers 404 for an unknown app and 409 for an app without a live connection', async () => {
    const unknown = await post(`${sim.url}/_sim/stream/bot-messages`, { client_id: 'nope', text: 'hi' });
    expect(unknown.status).toBe(404);
    const idle = sim.state.registerApp();
    const offline = await post(`${sim.url}/_sim/stream/bot-messages`, {
      client_id: idle.clientId,
      text: 'hi',
    });
    expect(offline.status).toBe(409);
    expect(offline.body.error).toMatch(/no live Stream connection/);
  });
});
