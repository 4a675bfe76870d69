import { DWClient, DWClientDownStream, TOPIC_CARD } from 'dingtalk-stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KITCHEN_CONFIRMATION_TEMPLATE_ID } from '../../simulator/cards/repo-card-templates';
import { SimApp, SimConversation } from '../../simulator/core/simulator-state';
import { startSimulator, Simulator } from '../../simulator/simulator';
import { ManualClock } from '../support/clocks';
import { SimulatedDWClient } from '../support/simulated-dw-client';
import { waitFor } from '../support/wait-for';

type Json = Record<string, unknown>;

/** The report's variables as the service fills the repository's template (docs/dingtalk/cards/README.md). */
const REPORT = {
  summary: '报菜：宫保鸡丁 × 8 份',
  title: '报菜 · 一号店',
  dish_name: '宫保鸡丁',
  quantity: '8 份',
  store_name: '一号店',
  report_time: '10:40',
  status: '',
  confirmed_text: '',
};

describe('simulator: interactive cards (create, deliver, update, clicks over Stream)', () => {
  const clock = new ManualClock();
  let sim: Simulator;
  let app: SimApp;
  let group: SimConversation;
  let token: string;
  let tracks = 0;
  const clients: DWClient[] = [];

  beforeAll(async () => {
    sim = await startSimulator({ clock, stream: { redeliveryDelayMs: 60_000 } });
  });
  beforeEach(async () => {
    app = sim.state.registerApp();
    group = sim.state.ensureConversation({
      title: '一号店后厨',
      clientId: app.clientId,
      members: ['cook01'],
    });
    const answer = await call('POST', '/v1.0/oauth2/accessToken', {
      appKey: app.clientId,
      appSecret: app.clientSecret,
    });
    token = String(answer.body.accessToken);
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.disconnect();
  });
  afterAll(() => sim.close());

  async function call(method: string, path: string, body: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${sim.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Json };
  }
  const api = (method: string, path: string, body: unknown) =>
    call(method, path, body, { 'x-acs-dingtalk-access-token': token });

  const newTrackId = () => `report-${++tracks}-notification-1`;
  /** What the service sends to create a report card for a group (docs/dingtalk/cards.md). */
  const groupCard = (outTrackId: string, extra: Json = {}) => ({
    cardTemplateId: KITCHEN_CONFIRMATION_TEMPLATE_ID,
    outTrackId,
    callbackType: 'STREAM',
    cardData: { cardParamMap: REPORT },
    imGroupOpenSpaceModel: { supportForward: false },
    openSpaceId: `dtv1.card//IM_GROUP.${group.id}`,
    imGroupOpenDeliverModel: { robotCode: app.robotCode },
    ...extra,
  });

  /**
   * The official SDK, subscribed to card callbacks; `answer` is what its ACK answers (the SDK wraps it in
   * `{"response": …}`; undefined: no ACK).
   */
  async function cardClient(answer?: (message: DWClientDownStream) => unknown) {
    const received: DWClientDownStream[] = [];
    const client = new SimulatedDWClient(sim.url, app);
    client.registerCallbackListener(TOPIC_CARD, (message) => {
      received.push(message);
      const response = answer?.(message);
      if (response !== undefined) client.socketCallBackResponse(message.headers.messageId, response);
    });
    clients.push(client);
    await client.connect();
    await waitFor(() => sim.stream.connections(app.clientId).length === 1, 'the card client connected');
    return { client, received };
  }

  it('refuses a call without the app token, as the new API does', async () => {
    const missing = await call('POST', '/v1.0/card/instances', groupCard(newTrackId()));
    expect(missing).toMatchObject({ status: 400, body: { code: 'AuthenticationFailed.MissingParameter' } });
    const wrong = await call(
      'PUT',
      '/v1.0/card/instances',
      { outTrackId: 'x' },
      {
        'x-acs-dingtalk-access-token': 'not-a-token',
      },
    );
    expect(wrong).toMatchObject({ status: 400, body: { code: 'InvalidAuthentication' } });
    expect(wrong.body.requestid).toMatch(/^[0-9A-F-]{36}$/);
  });

  it('creates a card of a known template once, and refuses what DingTalk refuses', async () => {
    const outTrackId = newTrackId();
    const created = await api('POST', '/v1.0/card/instances', groupCard(outTrackId));
    expect(created).toEqual({ status: 200, body: { success: true, result: outTrackId } });
    const cases: Array<[Json, string]> = [
      [groupCard(outTrackId), 'param.outTrackIdExist'],
      [groupCard(''), 'param.outTrackIdEmpty'],
      [groupCard(newTrackId(), { cardTemplateId: undefined }), 'param.cardTemplateIdEmpty'],
      [groupCard(newTrackId(), { cardData: undefined }), 'param.cardPublicDataEmpty'],
      [groupCard(newTrackId(), { cardTemplateId: 'never-imported.schema' }), 'param.templateUnpublished'],
      [groupCard(newTrackId(), { cardData: { cardParamMap: { quantity: 8 } } }), 'param.invalid'],
      [groupCard(newTrackId(), { callbackType: 'stream' }), 'param.invalid'],
    ];
    for (const [body, code] of cases) {
      const refused = await api('POST', '/v1.0/card/instances', body);
      expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 400, code });
    }
    const numeric = await api('POST', '/v1.0/card/instances', cases[5][0]);
    expect(numeric.body.message).toContain('cardData.cardParamMap.quantity');
    expect(sim.cards.all({ clientId: app.clientId }).map((card) => card.outTrackId)).toEqual([outTrackId]);
  });

  it('delivers to a group the robot is in, once per space, and reports a space it cannot reach in a 200', async () => {
    const outTrackId = newTrackId();
    await api('POST', '/v1.0/card/instances', groupCard(outTrackId));
    const elsewhere = sim.state.ensureConversation({ title: '别的群' });
    const deliver = {
      outTrackId,
      openSpaceId: `dtv1.card//IM_GROUP.${group.id};IM_GROUP.${elsewhere.id}`,
      imGroupOpenDeliverModel: { robotCode: app.robotCode },
      userIdType: 1,
    };
    const first = await api('POST', '/v1.0/card/instances/deliver', deliver);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      success: true,
      result: [
        { spaceType: 'IM_GROUP', spaceId: group.id, success: true, carrierId: expect.any(String) as unknown },
        {
          spaceType: 'IM_GROUP',
          spaceId: elsewhere.id,
          success: false,
          errorMsg: '机器人不存在,请检查机器人是否在群内',
        },
      ],
    });
    const again = await api('POST', '/v1.0/card/instances/deliver', deliver);
    expect((again.body.result as Json[])[0]).toEqual((first.body.result as Json[])[0]);
    expect(sim.cards.card(outTrackId)?.spaces.map((space) => space.conversationId)).toEqual([group.id]);

    const refusals: Array<[Json, string]> = [
      [{ ...deliver, outTrackId: 'no-such-card' }, 'param.cardInstanceNotExist'],
      [{ ...deliver, imGroupOpenDeliverModel: {} }, 'param.openSpaceModelInvalid'],
      [{ ...deliver, openSpaceId: `IM_GROUP.${group.id}` }, 'param.invalid'],
      [{ ...deliver, openSpaceId: `dtv1.card//ONE_BOX.${group.id}` }, 'param.invalid'],
      [
        { ...deliver, openSpaceId: `dtv1.card//IM_ROBOT.cook01`, imRobotOpenDeliverModel: {} },
        'param.openSpaceModelInvalid',
      ],
    ];
    for (const [body, code] of refusals) {
      const refused = await api('POST', '/v1.0/card/instances/deliver', body);
      expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 400, code });
    }
  });

  it('creates and delivers to a one-to-one chat in one call; a refused one leaves no card', async () => {
    const outTrackId = newTrackId();
    const body = {
      ...groupCard(outTrackId),
      imGroupOpenSpaceModel: undefined,
      imGroupOpenDeliverModel: undefined,
      imRobotOpenSpaceModel: { supportForward: false },
      openSpaceId: 'dtv1.card//im_robot.manager01',
      imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT' },
    };
    const refused = await api('POST', '/v1.0/card/instances/createAndDeliver', {
      ...body,
      imRobotOpenSpaceModel: undefined,
    });
    expect(refused).toMatchObject({ status: 400, body: { code: 'param.openSpaceModelInvalid' } });
    expect(sim.cards.card(outTrackId)).toBeUndefined();

    const created = await api('POST', '/v1.0/card/instances/createAndDeliver', body);
    expect(created).toEqual({
      status: 200,
      body: {
        success: true,
        result: {
          outTrackId,
          deliverResults: [
            {
              spaceType: 'IM_ROBOT',
              spaceId: 'manager01',
              success: true,
              carrierId: expect.any(String) as unknown,
            },
          ],
        },
      },
    });
    const [space] = sim.cards.card(outTrackId)?.spaces ?? [];
    expect(sim.state.conversations.get(space.conversationId)).toMatchObject({
      type: 'single',
      members: ['manager01'],
    });
  });

  it('pushes a click to the app over Stream with the callback payload, and takes the ACK and updates', async () => {
    const outTrackId = newTrackId();
    await api('POST', '/v1.0/card/instances/createAndDeliver', groupCard(outTrackId));
    const { received } = await cardClient(() => null);

    const clicked = await call('POST', `/_sim/cards/${outTrackId}/click`, {
      action_id: 'received',
      user_id: 'cook07',
    });
    expect(clicked).toMatchObject({
      status: 201,
      body: {
        action_id: 'received',
        user_id: 'cook07',
        space_type: 'IM_GROUP',
        space_id: group.id,
        delivered: true,
      },
    });
    await waitFor(() => received.length === 1, 'the card callback');
    const [frame] = received;
    expect(frame.type).toBe('CALLBACK');
    expect(frame.headers.topic).toBe('/v1.0/card/instances/callback');
    const data = JSON.parse(frame.data) as Json;
    expect(data).toEqual({
      outTrackId,
      corpId: expect.stringMatching(/^ding/) as unknown,
      userId: 'cook07',
      userIdType: 1,
      type: 'actionCallback',
      spaceType: 'IM_GROUP',
      spaceId: group.id,
      extension: '{}',
      content: JSON.stringify({
        cardPrivateData: { actionIds: ['received'], params: { action: 'received' } },
      }),
    });
    await waitFor(() => sim.cards.card(outTrackId)?.clicks[0].ack !== null, 'the ACK');

    // The service confirms the card for everyone (docs/dingtalk/cards.md, Updating).
    const updated = await api('PUT', '/v1.0/card/instances', {
      outTrackId,
      cardData: { cardParamMap: { status: 'received', confirmed_text: '已确认 · 张师傅 · 10:42' } },
      cardUpdateOptions: { updateCardDataByKey: true },
    });
    expect(updated).toEqual({ status: 200, body: { success: true, result: true } });
    const card = await call('GET', `/_sim/cards/${outTrackId}`, undefined);
    expect(card.body).toMatchObject({
      card_data: { ...REPORT, status: 'received', confirmed_text: '已确认 · 张师傅 · 10:42' },
      version: 2,
      clicks: [{ action_id: 'received', user_id: 'cook07', deliveries: 1, ack_updated_card: false }],
    });
    const shown = card.body.shown as {
      parts: Array<{ text: string }>;
      buttons: Array<{ action_id: string }>;
    };
    expect(shown.parts.map((part) => part.text)).toContain('已确认 · 张师傅 · 10:42');
    expect(shown.buttons.map((button) => button.action_id)).toEqual(['ready']);
    expect(sim.state.conversations.get(group.id)?.members).toContain('cook07');

    // Without updateCardDataByKey the card's data is replaced whole; a hidden button cannot be clicked.
    await api('PUT', '/v1.0/card/instances', {
      outTrackId,
      cardData: { cardParamMap: { ...REPORT, status: 'ready' } },
    });
    const hidden = await call('POST', `/_sim/cards/${outTrackId}/click`, { action_id: 'ready' });
    expect(hidden.status).toBe(409);
    expect(String(hidden.body.error)).toContain('no buttons');
    expect(sim.cards.card(outTrackId)?.cardData.confirmed_text).toBe('');
  });

  it("applies the update a client's ACK answers with, as DingTalk applies a callback's response", async () => {
    const outTrackId = newTrackId();
    await api('POST', '/v1.0/card/instances/createAndDeliver', groupCard(outTrackId));
    // The SDK sends what the listener gives it as the ACK's `{"response": …}`.
    await cardClient(() => ({
      cardUpdateOptions: { updateCardDataByKey: true, updatePrivateDataByKey: true },
      cardData: { cardParamMap: { status: 'ready', confirmed_text: '已备好 · cook01' } },
      userPrivateData: { cardParamMap: { mine: 'true' } },
    }));
    await call('POST', `/_sim/cards/${outTrackId}/click`, { text: '已备好', user_id: 'cook01' });
    await waitFor(() => sim.cards.card(outTrackId)?.cardData.status === 'ready', 'the ACK update');
    expect(sim.cards.card(outTrackId)?.privateData.get('cook01')).toEqual({ mine: 'true' });
    expect(sim.cards.card(outTrackId)?.clicks[0].ack?.updated).toBe(true);
  });

  it('keeps a click nobody ACKed for the next connection, and counts it as one click', async () => {
    const outTrackId = newTrackId();
    await api('POST', '/v1.0/card/instances/createAndDeliver', groupCard(outTrackId));
    const silent = await cardClient();
    const { body } = await call('POST', `/_sim/cards/${outTrackId}/click`, { action_id: 'received' });
    await waitFor(() => silent.received.length === 1, 'the first delivery');
    silent.client.disconnect();
    await waitFor(() => sim.stream.connections(app.clientId).length === 0, 'the disconnect');
    await clock.advance(60_000);

    const again = await cardClient(() => null);
    await waitFor(() => again.received.length === 1, 'the redelivery on the new connection');
    expect(again.received[0].headers.messageId).toBe(body.message_id);
    await waitFor(() => sim.stream.acksOf(String(body.message_id)).length === 1, 'the ACK');
    expect(sim.cards.card(outTrackId)?.clicks).toHaveLength(1);
    expect(sim.stream.deliveriesOf(String(body.message_id))).toBe(2);
  });

  it('refuses clicks DingTalk could not send: no STREAM callback, not delivered, nobody connected', async () => {
    const noCallback = newTrackId();
    await api(
      'POST',
      '/v1.0/card/instances/createAndDeliver',
      groupCard(noCallback, { callbackType: undefined }),
    );
    const undelivered = newTrackId();
    await api('POST', '/v1.0/card/instances', groupCard(undelivered));
    const nobody = newTrackId();
    await api('POST', '/v1.0/card/instances/createAndDeliver', groupCard(nobody));

    const click = (outTrackId: string) =>
      call('POST', `/_sim/cards/${outTrackId}/click`, { action_id: 'received' });
    expect(await click(noCallback)).toMatchObject({
      status: 409,
      body: { error: expect.stringContaining('callbackType STREAM') as unknown },
    });
    expect(await click(undelivered)).toMatchObject({
      status: 409,
      body: { error: expect.stringContaining('not delivered') as unknown },
    });
    expect(await click(nobody)).toMatchObject({
      status: 409,
      body: { error: expect.stringContaining('/v1.0/card/instances/callback') as unknown },
    });
    expect((await click('no-such-card')).status).toBe(404);
  });

  it('lists templates, takes a new one, refuses one it cannot show, and reset forgets cards only', async () => {
    const templates = await call('GET', '/_sim/card-templates', undefined);
    expect(templates.body).toContainEqual({
      template_id: KITCHEN_CONFIRMATION_TEMPLATE_ID,
      variables: expect.arrayContaining([{ name: 'dish_name', type: 'string', private: false }]) as unknown,
    });
    const unknown = await call('POST', '/_sim/card-templates', {
      template_id: 'chart.schema',
      template: { editorData: JSON.stringify({ schema: { componentsTree: [{ componentName: 'Chart' }] } }) },
    });
    expect(unknown).toMatchObject({
      status: 400,
      body: { error: expect.stringContaining('Chart') as unknown },
    });

    await api('POST', '/v1.0/card/instances', groupCard(newTrackId()));
    expect(sim.cards.all().length).toBeGreaterThan(0);
    await call('POST', '/_sim/reset', {});
    expect(sim.cards.all()).toEqual([]);
    expect(sim.cards.template(KITCHEN_CONFIRMATION_TEMPLATE_ID)).toBeDefined();
  });
});
