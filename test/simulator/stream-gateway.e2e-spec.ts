import { DWClient, DWClientDownStream, EventAck, TOPIC_ROBOT } from 'dingtalk-stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SimApp } from '../../simulator/core/simulator-state';
import { startSimulator, Simulator } from '../../simulator/simulator';
import { ManualClock } from '../support/clocks';
import { SimulatedDWClient } from '../support/simulated-dw-client';
import { waitFor } from '../support/wait-for';

async function post(url: string, body: unknown) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
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

  async function connectedClient(
    onMessage?: (client: DWClient, message: DWClientDownStream) => void,
    subscribe: { botMessages: boolean } = { botMessages: true },
  ) {
    app = sim.state.registerApp();
    const client = new SimulatedDWClient(sim.url, app);
    if (subscribe.botMessages) {
      client.registerCallbackListener(TOPIC_ROBOT, (message) => onMessage?.(client, message));
    }
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

  it('keeps a callback nobody ACKed for the next connection when none is live at redelivery time', async () => {
    const received: string[] = [];
    const { client } = await connectedClient((_client, message) => received.push(message.headers.messageId));
    const { messageId } = sim.stream.sendBotMessage({
      clientId: app.clientId,
      conversationType: '1',
      text: '今日',
    });
    await waitFor(() => received.length === 1);
    client.disconnect();
    await waitFor(() => sim.stream.connections(app.clientId).length === 0);
    await clock.advance(60_000);
    expect(sim.stream.deliveriesOf(messageId)).toBe(1);

    const redelivered: string[] = [];
    const again = new SimulatedDWClient(sim.url, app);
    again.registerCallbackListener(TOPIC_ROBOT, (message) => {
      redelivered.push(message.headers.messageId);
      again.socketCallBackResponse(message.headers.messageId, { ok: true });
    });
    clients.push(again);
    await again.connect();
    await waitFor(() => redelivered.length === 1);
    expect(redelivered).toEqual([messageId]);
    await waitFor(() => sim.stream.acksOf(messageId).length === 1);
    await clock.advance(5 * 60_000);
    expect(sim.stream.deliveriesOf(messageId)).toBe(2);
    expect(received).toEqual([messageId]);
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

  it('delivers a topic only to connections subscribed to it: no bot messages without the CALLBACK entry', async () => {
    const { client } = await connectedClient(undefined, { botMessages: false });
    const events: DWClientDownStream[] = [];
    client.registerAllEventListener((message) => {
      events.push(message);
      return { status: EventAck.SUCCESS };
    });
    const [connection] = sim.stream.connections(app.clientId);
    expect(connection.subscriptions).toEqual([{ type: 'EVENT', topic: '*' }]);
    const botMessage = await post(`${sim.url}/_sim/stream/bot-messages`, {
      client_id: app.clientId,
      text: '今日',
    });
    expect(botMessage.status).toBe(409);
    expect(botMessage.body.error).toMatch(/subscribed to CALLBACK \/v1\.0\/im\/bot\/messages\/get/);

    const event = await post(`${sim.url}/_sim/stream/events`, {
      client_id: app.clientId,
      event_type: 'user_add_org',
      data: { timestamp: String(clock.now()), userId: ['manager01'] },
    });
    expect(event.status).toBe(201);
    await waitFor(() => events.length === 1);
    expect(events[0].type).toBe('EVENT');

    // The other way round: a connection with only the bot-message CALLBACK gets no events.
    const callbackOnly = sim.state.registerApp();
    const opened = await post(`${sim.url}/v1.0/gateway/connections/open`, {
      clientId: callbackOnly.clientId,
      clientSecret: callbackOnly.clientSecret,
      subscriptions: [{ type: 'CALLBACK', topic: TOPIC_ROBOT }],
    });
    const socket = new WebSocket(`${opened.body.endpoint as string}?ticket=${opened.body.ticket as string}`);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    await waitFor(() => sim.stream.connections(callbackOnly.clientId).length === 1);
    const refused = await post(`${sim.url}/_sim/stream/events`, {
      client_id: callbackOnly.clientId,
      event_type: 'user_add_org',
      data: {},
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatch(/subscribed to EVENT \*/);
    socket.terminate();
  });

  it('pushes an EVENT with its headers and records the SUCCESS in the ACK: consumed, never redelivered', async () => {
    const { client } = await connectedClient();
    const events: DWClientDownStream[] = [];
    client.registerAllEventListener((message) => {
      events.push(message);
      return { status: EventAck.SUCCESS, message: 'success' };
    });
    const pushed = sim.stream.sendEvent({
      clientId: app.clientId,
      eventType: 'chat_update_title',
      data: { timestamp: String(clock.now()), chatId: 'chat01' },
    });
    await waitFor(() => events.length === 1);
    expect(events[0].headers).toMatchObject({
      topic: '*',
      messageId: pushed.messageId,
      eventType: 'chat_update_title',
      eventId: pushed.eventId,
      eventBornTime: String(clock.now()),
      eventCorpId: expect.any(String),
      eventUnifiedAppId: app.clientId,
      time: String(clock.now()),
    });
    expect(JSON.parse(events[0].data)).toEqual({ timestamp: String(clock.now()), chatId: 'chat01' });
    await waitFor(() => sim.stream.events(app.clientId)[0]?.consumed === true);
    expect(sim.stream.acksOf(pushed.messageId)[0]).toMatchObject({ code: 200, status: 'SUCCESS' });
    await clock.advance(5 * 60_000);
    expect(events).toHaveLength(1);
    expect(sim.stream.events(app.clientId)).toEqual([
      expect.objectContaining({ deliveries: 1, ackStatus: 'SUCCESS', consumed: true }),
    ]);
  });

  it('redelivers an EVENT answered LATER, or ACKed without a status (an async SDK handler), until SUCCESS', async () => {
    const { client } = await connectedClient();
    const answers: Array<() => unknown> = [
      () => ({ status: EventAck.LATER }),
      // The Node SDK stringifies whatever the handler returns: a Promise becomes "{}", which has no status.
      () => Promise.resolve({ status: EventAck.SUCCESS }),
      () => ({ status: EventAck.SUCCESS }),
    ];
    const seen: string[] = [];
    client.registerAllEventListener((message) => {
      seen.push(message.headers.messageId);
      return answers[seen.length - 1]() as { status: EventAck };
    });
    const pushed = sim.stream.sendEvent({ clientId: app.clientId, eventType: 'user_leave_org', data: {} });
    await waitFor(() => sim.stream.acksOf(pushed.messageId).length === 1);
    expect(sim.stream.events(app.clientId)[0]).toMatchObject({ ackStatus: 'LATER', consumed: false });
    await clock.advance(60_000);
    await waitFor(() => sim.stream.acksOf(pushed.messageId).length === 2);
    expect(sim.stream.events(app.clientId)[0]).toMatchObject({ ackStatus: 'none', consumed: false });
    await clock.advance(60_000);
    await waitFor(() => sim.stream.acksOf(pushed.messageId).length === 3);
    expect(sim.stream.events(app.clientId)[0]).toMatchObject({
      ackStatus: 'SUCCESS',
      consumed: true,
      deliveries: 3,
    });
    await clock.advance(5 * 60_000);
    expect(seen).toEqual([pushed.messageId, pushed.messageId, pushed.messageId]);
  });

  it('takes EVENT pushes over the control API and lists them with their ACK status', async () => {
    await connectedClient();
    expect((await post(`${sim.url}/_sim/stream/events`, { client_id: app.clientId, data: {} })).status).toBe(
      400,
    );
    expect(
      (await post(`${sim.url}/_sim/stream/events`, { client_id: 'nope', event_type: 'x', data: {} })).status,
    ).toBe(404);
    const pushed = await post(`${sim.url}/_sim/stream/events`, {
      client_id: app.clientId,
      event_type: 'user_add_org',
      event_id: 'evt-duplicate-1',
      data: { userId: ['manager01'] },
    });
    expect(pushed).toMatchObject({
      status: 201,
      body: { event_id: 'evt-duplicate-1', delivered: true, message_id: expect.any(String) },
    });
    // The SDK's default event listener answers SUCCESS.
    await waitFor(() => sim.stream.events(app.clientId)[0]?.consumed === true);
    const listed = (await (
      await fetch(`${sim.url}/_sim/stream/events?client_id=${app.clientId}`)
    ).json()) as unknown[];
    expect(listed).toEqual([
      expect.objectContaining({
        message_id: pushed.body.message_id,
        event_type: 'user_add_org',
        event_id: 'evt-duplicate-1',
        ack_status: 'SUCCESS',
        deliveries: 1,
        consumed: true,
      }),
    ]);
  });

  it('delivers pictures, rich text, audio, video and files with content instead of text, and external senders', async () => {
    const received: DWClientDownStream[] = [];
    await connectedClient((client, message) => {
      received.push(message);
      client.socketCallBackResponse(message.headers.messageId, null);
    });
    for (const msgtype of ['picture', 'richText', 'audio', 'video', 'file']) {
      const sent = await post(`${sim.url}/_sim/stream/bot-messages`, {
        client_id: app.clientId,
        msgtype,
        text: msgtype === 'file' ? '菜单.xlsx' : '',
      });
      expect(sent.status).toBe(201);
    }
    const external = await post(`${sim.url}/_sim/stream/bot-messages`, {
      client_id: app.clientId,
      conversation_type: '2',
      conversation_title: '供应商对接群',
      external: true,
      sender_nick: '供应商老王',
      text: '今日',
    });
    expect(external.status).toBe(201);
    expect(
      (await post(`${sim.url}/_sim/stream/bot-messages`, { client_id: app.clientId, msgtype: 'sticker' }))
        .status,
    ).toBe(400);
    expect((await post(`${sim.url}/_sim/stream/bot-messages`, { client_id: app.clientId })).status).toBe(400);

    await waitFor(() => received.length === 6);
    const data = received.map((message) => JSON.parse(message.data) as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(data.map((item) => item.msgtype)).toEqual([
      'picture',
      'richText',
      'audio',
      'video',
      'file',
      'text',
    ]);
    for (const item of data.slice(0, 5)) expect(item.text).toBeUndefined();
    expect(data[0].content).toEqual({
      downloadCode: expect.any(String),
      pictureDownloadCode: expect.any(String),
    });
    expect(data[1].content.richText).toEqual([
      { text: '' },
      expect.objectContaining({ type: 'picture', downloadCode: expect.any(String) }),
    ]);
    expect(data[2].content).toMatchObject({ downloadCode: expect.any(String), recognition: '' });
    expect(data[3].content).toMatchObject({ videoType: 'mp4', downloadCode: expect.any(String) });
    expect(data[4].content).toMatchObject({ fileName: '菜单.xlsx', spaceId: expect.any(String) });
    expect(data[5]).toMatchObject({
      msgtype: 'text',
      senderStaffId: '',
      senderNick: '供应商老王',
      text: { content: ' 今日' },
    });
    expect(data[5].senderCorpId).not.toBe(data[0].senderCorpId);
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
