import { DWClientDownStream, TOPIC_ROBOT } from 'dingtalk-stream';
import { afterEach, describe, expect, it } from 'vitest';
import { SimApp } from '../../simulator/core/simulator-state';
import { ManualClock } from '../support/clocks';
import { SimulatedDWClient } from '../support/simulated-dw-client';
import { useSimulator } from '../support/use-test-app';
import { waitFor } from '../support/wait-for';

type Json = Record<string, unknown>;

/**
 * One enterprise internal app for a whole chain (docs/dingtalk/stream-mode.md, docs/dingtalk/robot-messages.md): its
 * robot added to every store's group, every group's messages over the app's one Stream connection, each carrying
 * that group's ids, title and sender; robot sends to any group the robot is in, and DingTalk's refusal for one it
 * is not in.
 */
describe('simulator: one app in many groups', () => {
  const clock = new ManualClock();
  const sim = useSimulator({ clock });
  const clients: SimulatedDWClient[] = [];
  afterEach(() => {
    for (const client of clients.splice(0)) client.disconnect();
    // Every test registers the same kitchens afresh.
    sim.state.reset();
  });

  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${sim.url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        accept: 'application/json',
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Json & Json[] };
  }

  const kitchens = [
    { open_conversation_id: 'cidStore1Kitchen==', title: '一号店后厨', members: ['cook11', 'cook12'] },
    { open_conversation_id: 'cidStore2Kitchen==', title: '二号店后厨', members: ['cook21'] },
    { open_conversation_id: 'cidStore3Kitchen==', title: '三号店后厨', members: ['cook31'] },
  ];

  /** The app's Stream bot through the official SDK: ACKs each message and answers it in its conversation. */
  async function connectChainBot(app: SimApp) {
    const received: Json[] = [];
    const client = new SimulatedDWClient(sim.url, app);
    client.registerCallbackListener(TOPIC_ROBOT, (message: DWClientDownStream) => {
      client.socketCallBackResponse(message.headers.messageId, { response: null });
      const data = JSON.parse(message.data) as Json;
      received.push(data);
      void fetch(String(data.sessionWebhook), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          msgtype: 'text',
          text: { content: `已收到 · ${String(data.conversationTitle)}` },
        }),
      });
    });
    clients.push(client);
    await client.connect();
    await waitFor(() => sim.stream.connections(app.clientId).length === 1, 'the app connected');
    return received;
  }

  async function robotToken(app: SimApp): Promise<string> {
    const answer = await call('GET', `/gettoken?appkey=${app.clientId}&appsecret=${app.clientSecret}`);
    return String(answer.body.access_token);
  }

  function groupSend(app: SimApp, token: string, openConversationId: string) {
    return call(
      'POST',
      '/v1.0/robot/groupMessages/send',
      {
        robotCode: app.robotCode,
        openConversationId,
        msgKey: 'sampleText',
        msgParam: JSON.stringify({ content: '今日报菜已汇总' }),
      },
      { 'x-acs-dingtalk-access-token': token },
    );
  }

  it('adds the app’s robot to many groups in one request and lists them', async () => {
    const app = sim.state.registerApp();
    const added = await call('POST', `/_sim/apps/${app.clientId}/groups`, { groups: kitchens });
    expect(added.status).toBe(201);
    expect(added.body).toEqual(
      kitchens.map((kitchen) =>
        expect.objectContaining({ ...kitchen, type: 'group', client_ids: [app.clientId] }),
      ),
    );
    const listed = await call('GET', `/_sim/apps/${app.clientId}/groups`);
    expect(listed.status).toBe(200);
    expect(listed.body.map((group) => group.open_conversation_id)).toEqual(
      kitchens.map((kitchen) => kitchen.open_conversation_id),
    );
    // Another app's robot joins one of them: the group now has both, and only there is the other app listed.
    const other = sim.state.registerApp();
    await call('POST', `/_sim/apps/${other.clientId}/groups`, { groups: [kitchens[1]] });
    expect((await call('GET', `/_sim/apps/${other.clientId}/groups`)).body).toEqual([
      expect.objectContaining({
        open_conversation_id: kitchens[1].open_conversation_id,
        client_ids: [app.clientId, other.clientId],
      }),
    ]);
    expect((await call('GET', `/_sim/apps/${app.clientId}/groups`)).body).toHaveLength(3);

    expect((await call('GET', '/_sim/apps/dingnobody/groups')).status).toBe(404);
    expect((await call('POST', '/_sim/apps/dingnobody/groups', { groups: kitchens })).status).toBe(404);
    const empty = await call('POST', `/_sim/apps/${app.clientId}/groups`, { groups: [] });
    expect(empty.status).toBe(400);
    expect(String(empty.body.error)).toMatch(/groups/);
  });

  it('delivers every group’s messages over the one connection, each with that group’s ids, title and sender', async () => {
    const app = sim.state.registerApp();
    await call('POST', `/_sim/apps/${app.clientId}/groups`, { groups: kitchens });
    const received = await connectChainBot(app);

    const written: Json[] = [];
    for (const [i, kitchen] of kitchens.entries()) {
      const answer = await call('POST', '/_sim/stream/bot-messages', {
        client_id: app.clientId,
        conversation_type: '2',
        conversation_id: kitchen.open_conversation_id,
        sender_staff_id: kitchen.members[0],
        text: `报菜 宫保鸡丁 ${i + 1} 份`,
      });
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ delivered: true, conversation_id: kitchen.open_conversation_id });
      written.push(answer.body);
    }
    expect(new Set(written.map((answer) => answer.connection_id)).size).toBe(1);
    expect(sim.stream.peakConnections(app.clientId)).toBe(1);

    await waitFor(() => received.length === kitchens.length, 'a frame from every group');
    expect(received).toEqual(
      kitchens.map((kitchen, i) =>
        expect.objectContaining({
          msgId: written[i].msg_id,
          conversationType: '2',
          conversationId: kitchen.open_conversation_id,
          // The registered group's name, though the control call named none.
          conversationTitle: kitchen.title,
          senderStaffId: kitchen.members[0],
          robotCode: app.clientId,
          isInAtList: true,
          text: { content: ` 报菜 宫保鸡丁 ${i + 1} 份` },
        }),
      ),
    );
    expect(new Set(received.map((data) => data.sessionWebhook)).size).toBe(kitchens.length);

    // What became of each message, in one request: the ACK over the one connection and the reply in its group.
    await waitFor(async () => {
      const outcomes = (await call('GET', `/_sim/stream/bot-messages?client_id=${app.clientId}`)).body;
      return outcomes.every((outcome) => (outcome.replies as unknown[]).length === 1);
    }, 'a reply to every message');
    const outcomes = (await call('GET', `/_sim/stream/bot-messages?client_id=${app.clientId}`)).body;
    expect(outcomes).toEqual(
      kitchens.map((kitchen, i) =>
        expect.objectContaining({
          msg_id: written[i].msg_id,
          message_id: written[i].message_id,
          conversation_id: kitchen.open_conversation_id,
          conversation_type: '2',
          sender_staff_id: kitchen.members[0],
          pushed_at: clock.now(),
          deliveries: 1,
          acks: [{ at: clock.now(), code: 200, connection_id: written[i].connection_id }],
          replies: [{ at: clock.now(), errcode: 0, msgtype: 'text', text: `已收到 · ${kitchen.title}` }],
        }),
      ),
    );
    const second = kitchens[1].open_conversation_id;
    const ofOneGroup = await call('GET', `/_sim/stream/bot-messages?conversation_id=${second}`);
    expect(ofOneGroup.body.map((outcome) => outcome.msg_id)).toEqual([written[1].msg_id]);
    for (const kitchen of kitchens) {
      const replies = sim.state.received({ channel: 'session', target: kitchen.open_conversation_id });
      expect(replies.map((reply) => reply.text)).toEqual([`已收到 · ${kitchen.title}`]);
    }

    // A staff member the group did not know yet becomes one of its members.
    await call('POST', '/_sim/stream/bot-messages', {
      client_id: app.clientId,
      conversation_type: '2',
      conversation_id: kitchens[2].open_conversation_id,
      sender_staff_id: 'manager3',
      text: '今日',
    });
    const [, , third] = (await call('GET', `/_sim/apps/${app.clientId}/groups`)).body;
    expect(third.members).toEqual(['cook31', 'manager3']);
  });

  it('sends as the robot to every group it is in, and refuses a group it is not in, both ways', async () => {
    const app = sim.state.registerApp();
    await call('POST', `/_sim/apps/${app.clientId}/groups`, { groups: kitchens });
    const other = sim.state.registerApp();
    const elsewhere = { open_conversation_id: 'cidSupplierGroup==', title: '供应商群', members: ['buyer1'] };
    await call('POST', `/_sim/apps/${other.clientId}/groups`, { groups: [elsewhere] });
    const received = await connectChainBot(app);
    const token = await robotToken(app);

    for (const kitchen of kitchens) {
      const sent = await groupSend(app, token, kitchen.open_conversation_id);
      expect(sent.status).toBe(200);
      expect(sent.body.processQueryKey).toEqual(expect.any(String));
    }
    for (const kitchen of kitchens) {
      const [message] = sim.state.received({ channel: 'group', target: kitchen.open_conversation_id });
      expect(message).toMatchObject({ clientId: app.clientId, text: '今日报菜已汇总', errcode: 0 });
    }

    // DingTalk's answer for a group the robot is not in (docs/dingtalk/robot-messages.md, Refusals).
    const refused = await groupSend(app, token, elsewhere.open_conversation_id);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'invalidParameter.robotCode.notExsit' });
    expect(sim.state.received({ channel: 'group', target: elsewhere.open_conversation_id })).toEqual([]);

    // Nothing reaches the app from a group its robot is not in: the control call says why.
    const fromElsewhere = await call('POST', '/_sim/stream/bot-messages', {
      client_id: app.clientId,
      conversation_type: '2',
      conversation_id: elsewhere.open_conversation_id,
      sender_staff_id: 'buyer1',
      text: '报菜 土豆 3 斤',
    });
    expect(fromElsewhere.status).toBe(409);
    expect(String(fromElsewhere.body.error)).toContain(`is not in group ${elsewhere.open_conversation_id}`);
    expect((await call('GET', `/_sim/stream/bot-messages?client_id=${app.clientId}`)).body).toEqual([]);
    expect(received).toEqual([]);

    // Once added, the group works both ways.
    await call('POST', `/_sim/apps/${app.clientId}/groups`, { groups: [elsewhere] });
    expect((await groupSend(app, token, elsewhere.open_conversation_id)).status).toBe(200);
    const delivered = await call('POST', '/_sim/stream/bot-messages', {
      client_id: app.clientId,
      conversation_type: '2',
      conversation_id: elsewhere.open_conversation_id,
      sender_staff_id: 'buyer1',
      text: '报菜 土豆 3 斤',
    });
    expect(delivered.status).toBe(201);
    await waitFor(() => received.length === 1, 'the message from the newly joined group');
    expect(received[0]).toMatchObject({
      conversationId: elsewhere.open_conversation_id,
      conversationTitle: '供应商群',
    });
  });

  it('shows each app with its groups on the page, and lets the box write as any member to any robot in the group', async () => {
    const app = sim.state.registerApp();
    await call('POST', `/_sim/apps/${app.clientId}/groups`, { groups: kitchens });
    const other = sim.state.registerApp();
    await call('POST', `/_sim/apps/${other.clientId}/groups`, { groups: [kitchens[0]] });

    const page = (await call('GET', '/_sim/page/data')).body as unknown as {
      app_groups: Array<{ client_id: string; groups: Array<{ key: string; title: string }> }>;
      conversations: Array<{ key: string; write: Json | null }>;
    };
    expect(page.app_groups.find((entry) => entry.client_id === app.clientId)).toEqual({
      client_id: app.clientId,
      groups: kitchens.map((kitchen) => ({
        key: `conv:${kitchen.open_conversation_id}`,
        title: kitchen.title,
      })),
    });
    const first = page.conversations.find((c) => c.key === `conv:${kitchens[0].open_conversation_id}`);
    expect(first?.write).toEqual({
      client_id: app.clientId,
      conversation_id: kitchens[0].open_conversation_id,
      conversation_type: '2',
      client_ids: [app.clientId, other.clientId],
      members: kitchens[0].members,
    });
  });
});
