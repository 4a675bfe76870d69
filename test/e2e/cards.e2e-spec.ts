import { afterEach, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { OutboxRepository } from '../../src/notify/delivery/queue/outbox.repository';
import { SimApp } from '../../simulator/core/simulator-state';
import { cardCallbackData, TOPIC_CARD_CALLBACK } from '../../simulator/cards/card-callback';
import { ConfirmationRecorder } from '../../src/kitchen-confirmation/confirmation-recorder';
import { timeOfDayIn } from '../../src/notify/messages/message-text';
import { KITCHEN_CONFIRMATION_TEMPLATE_ID } from '../../simulator/cards/repo-card-templates';
import { CreatedBot, givenMenuReport, givenStreamBot, givenWebhookBot } from '../support/given';
import { TestApp } from '../support/test-app';
import { useTestApp } from '../support/use-test-app';
import { waitFor, waitForValue } from '../support/wait-for';

/** A card notification row as the rendering writes it (msg_type card, content its variables' JSON). */
async function enqueueCard(
  t: TestApp,
  bot: Pick<CreatedBot, 'id'> & { store_id?: number },
  cardParamMap: Record<string, string>,
  menuReportId: number | null = null,
): Promise<string> {
  const db = t.app.get(DataSource);
  const {
    queued: [queued],
  } = await t.app.get(OutboxRepository).enqueue(
    db.manager,
    [
      {
        botId: bot.id,
        storeId: bot.store_id ?? 1,
        menuReportId,
        kind: menuReportId === null ? 'batch' : 'menu_report',
        status: 'pending',
        hint: null,
        msgType: 'card',
        title: `报菜：${cardParamMap.dish_name ?? ''}`,
        content: JSON.stringify({ cardParamMap }),
        atMobiles: [],
        atUserIds: [],
        atAll: false,
        partOf: null,
      },
    ],
    new Date(),
  );
  return queued.id;
}

/** The notification once it is sent or failed, as the API shows it. */
async function settled(t: TestApp, id: string): Promise<Record<string, unknown>> {
  return waitForValue(async () => {
    const response = await t.request('GET', `/api/v1/notifications/${id}`);
    expect(response.status).toBe(200);
    const row = response.body.data as Record<string, unknown>;
    return row.status === 'sent' || row.status === 'failed' ? row : undefined;
  }, `notification ${id} sent or failed`);
}

const KITCHEN_CARD = {
  summary: '报菜：宫保鸡丁 × 8 份',
  title: '报菜 · 一号店',
  dish_name: '宫保鸡丁',
  quantity: '8 份',
  store_name: '一号店',
  report_time: '10:40',
  status: '',
  confirmed_text: '',
};

describe('card notifications: what every message type path knows of a card', () => {
  const { sim, t } = useTestApp({ simulator: true });

  it('a webhook bot fails a card for good, saying a stream bot sends cards, and posts nothing', async () => {
    const robot = sim.state.registerRobot();
    const bot = await givenWebhookBot(t, { webhook: `${sim.url}/robot/send?access_token=${robot.token}` });
    const row = await settled(t, await enqueueCard(t, bot, KITCHEN_CARD));
    expect(row).toMatchObject({ status: 'failed', msg_type: 'card' });
    expect(row.hint).toMatch(/stream bot with card_template_id/);
    expect(sim.state.received({ target: robot.token })).toEqual([]);
  });

  it('bots and templates stay written text: msg_type card is refused', async () => {
    const bot = await t.request('POST', '/api/v1/dingtalk-bots', {
      body: {
        name: '厨房群',
        store_id: 1,
        webhook: 'https://oapi.dingtalk.com/robot/send?access_token=ab12',
        msg_type: 'card',
      },
    });
    expect(bot.status).toBe(400);
    const template = await t.request('POST', '/api/v1/message-templates', {
      body: { name: '卡片', msg_type: 'card', title: 't', body: 'b' },
    });
    expect(template.status).toBe(400);
  });
});

describe('a stream bot sends a card row as an interactive card (card API, simulator over sockets)', () => {
  const { sim, t } = useTestApp({ simulator: true });

  /** An app, its robot in a kitchen group with two cooks, and its stream bot with the card template. */
  async function kitchen(store: number, fields: Record<string, unknown> = {}) {
    const app = sim.state.registerApp();
    const group = sim.state.ensureConversation({
      type: 'group',
      title: `${store} 号店厨房`,
      clientId: app.clientId,
      members: ['cook01', 'cook02'],
    });
    const bot = await givenStreamBot(t, app, {
      store_id: store,
      open_conversation_id: group.id,
      card_template_id: KITCHEN_CONFIRMATION_TEMPLATE_ID,
      ...fields,
    });
    return { app, group, bot: { ...bot, store_id: store } };
  }

  it("creates and delivers the card into the group, its outTrackId the notification's, with its buttons", async () => {
    const { app, group, bot } = await kitchen(11);
    const shown = await t.request('GET', `/api/v1/dingtalk-bots/${bot.id}`);
    expect(shown.body.data.card_template_id).toBe(KITCHEN_CONFIRMATION_TEMPLATE_ID);
    const id = await enqueueCard(t, bot, KITCHEN_CARD);
    expect(await settled(t, id)).toMatchObject({ status: 'sent', msg_type: 'card' });
    const cards = sim.cards.all({ clientId: app.clientId });
    expect(cards).toHaveLength(1);
    expect(cards[0]).toMatchObject({
      outTrackId: `notification-${id}`,
      templateId: KITCHEN_CONFIRMATION_TEMPLATE_ID,
      cardData: KITCHEN_CARD,
      callbackType: 'STREAM',
      unknownVariables: [],
    });
    expect(cards[0].spaces.map((space) => [space.spaceType, space.spaceId])).toEqual([
      ['IM_GROUP', group.id],
    ]);
    expect(sim.cards.render(cards[0]).buttons.map((button) => button.text)).toEqual(['收到', '已备好']);
  });

  it('does not record as sent a card whose group entry failed inside the HTTP 200 (robot not in the group)', async () => {
    const { app, bot } = await kitchen(12);
    const elsewhere = sim.state.ensureConversation({ type: 'group', title: '别的群', members: ['cook09'] });
    await t.request('PUT', `/api/v1/dingtalk-bots/${bot.id}`, {
      body: { open_conversation_id: elsewhere.id },
    });
    const id = await enqueueCard(t, bot, KITCHEN_CARD);
    const row = await settled(t, id);
    expect(row).toMatchObject({ status: 'failed', last_error: expect.stringMatching(/机器人不存在/) });
    expect(row.hint).toMatch(/robot is in it/);
    expect(sim.cards.all({ clientId: app.clientId })[0].spaces).toEqual([]);
  });

  it('fails a card of a bot without a card template or without a group, saying what to set', async () => {
    const { app, bot } = await kitchen(13, { card_template_id: null });
    expect((await settled(t, await enqueueCard(t, bot, KITCHEN_CARD))).hint).toMatch(/set card_template_id/);
    const { bot: groupless } = await kitchen(14, { open_conversation_id: null });
    expect((await settled(t, await enqueueCard(t, groupless, KITCHEN_CARD))).hint).toMatch(
      /set open_conversation_id/,
    );
    expect(sim.cards.all({ clientId: app.clientId })).toEqual([]);
  });

  it('checks card_template_id: a template id, on stream bots only', async () => {
    const app: SimApp = sim.state.registerApp();
    const bad = await t.request('POST', '/api/v1/dingtalk-bots', {
      body: {
        name: '门店应用机器人',
        store_id: 15,
        bot_type: 'stream',
        client_id: app.clientId,
        client_secret: app.clientSecret,
        agent_id: app.agentId,
        card_template_id: 'kitchen card/1',
      },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/card_template_id/);
    const webhook = await t.request('POST', '/api/v1/dingtalk-bots', {
      body: {
        name: '厨房群',
        store_id: 15,
        webhook: 'https://oapi.dingtalk.com/robot/send?access_token=ab12',
        card_template_id: KITCHEN_CONFIRMATION_TEMPLATE_ID,
      },
    });
    expect(webhook.status).toBe(400);
    expect(JSON.stringify(webhook.body)).toMatch(/card_template_id applies to stream bots only/);
  });
});

describe('a card whose creation answered too late is not created twice', () => {
  const { sim, t } = useTestApp({
    simulator: true,
    env: { DINGTALK_TIMEOUT_MS: '1000', DELIVERY_RETRY_SCHEDULE: '1s,1s,1s' },
  });

  it('retries after the timeout: DingTalk had created and delivered it, the retry delivers the same card', async () => {
    const app = sim.state.registerApp();
    const group = sim.state.ensureConversation({
      type: 'group',
      clientId: app.clientId,
      members: ['cook01'],
    });
    const bot = await givenStreamBot(t, app, {
      open_conversation_id: group.id,
      card_template_id: KITCHEN_CONFIRMATION_TEMPLATE_ID,
    });
    sim.state.addFault({
      path: '/v1.0/card/instances/createAndDeliver',
      mode: 'slow',
      delayMs: 3_000,
      remaining: 1,
    });
    const id = await enqueueCard(t, bot, KITCHEN_CARD);
    expect(await settled(t, id)).toMatchObject({ status: 'sent' });
    const attempts = (await t.request('GET', `/api/v1/notifications/${id}`)).body.data.attempts as Array<{
      outcome: string;
    }>;
    expect(attempts.map((attempt) => attempt.outcome)).toEqual(['transient', 'ok']);
    const cards = sim.cards.all({ clientId: app.clientId });
    expect(cards).toHaveLength(1);
    expect(cards[0].spaces).toHaveLength(1);
  });
});

describe("a press of a card's button (Stream callback → recorder → card update)", () => {
  const { sim, t } = useTestApp({ simulator: true });
  const db = () => t.app.get(DataSource);

  /**
   * A card to the kitchen group, asking for confirmation: the confirmation rows the rendering writes with a
   * confirmable report (kitchen-confirmation's tables), written here directly so that each case controls its card
   * (the last describe goes through the rendering itself).
   */
  async function confirmableCard(store: number) {
    const app = sim.state.registerApp();
    const group = sim.state.ensureConversation({
      type: 'group',
      title: `${store} 号店厨房`,
      clientId: app.clientId,
      members: ['cook01', 'cook02'],
    });
    const bot = await givenStreamBot(t, app, {
      store_id: store,
      open_conversation_id: group.id,
      card_template_id: KITCHEN_CONFIRMATION_TEMPLATE_ID,
    });
    await waitFor(() => sim.stream.connections(app.clientId).length === 1, 'the app connected');
    const report = await givenMenuReport(t, { store_id: store });
    const id = await enqueueCard(t, { id: bot.id, store_id: store }, KITCHEN_CARD, report.id);
    await db().query(
      `INSERT INTO report_confirmations (menu_report_id, store_id, reported_at) VALUES ($1, $2, now())`,
      [report.id, store],
    );
    await db().query(
      `INSERT INTO notification_confirmations (notification_id, menu_report_id, store_id, bot_id, status, buttons)
       VALUES ($1, $2, $3, $4, 'unconfirmed', $5)`,
      [
        id,
        report.id,
        store,
        bot.id,
        JSON.stringify([
          { action: 'received', label: '收到' },
          { action: 'ready', label: '已备好' },
        ]),
      ],
    );
    expect(await settled(t, id)).toMatchObject({ status: 'sent' });
    return { app, group, bot, report, id, outTrackId: `notification-${id}` };
  }

  const click = async (outTrackId: string, body: Record<string, unknown>) => {
    const response = await fetch(`${sim.url}/_sim/cards/${outTrackId}/click`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status, await response.clone().text()).toBe(201);
    return (await response.json()) as { message_id: string };
  };

  /** The card's data once its confirmation line is written. */
  const confirmedCard = (outTrackId: string) =>
    waitForValue(
      () => (sim.cards.card(outTrackId)?.cardData.confirmed_text ? sim.cards.card(outTrackId) : undefined),
      `card ${outTrackId} to show who confirmed`,
    );

  interface ClickRow {
    dedupe_key: string;
    user_id: string;
    user_name: string | null;
    effect: string;
    clicked_at: Date;
  }
  const clicksOf = (id: string) =>
    db().query<ClickRow[]>(
      `SELECT dedupe_key, user_id, user_name, effect, clicked_at FROM confirmation_clicks
       WHERE notification_id = $1 ORDER BY clicked_at`,
      [id],
    );

  it('收到 by a cook who wrote to the robot: recorded once, the card says 已确认 · <nick> · HH:mm for everyone', async () => {
    const { group, report, id, outTrackId, app } = await confirmableCard(21);
    // cook02 wrote in the group before: DingTalk called them 张师傅.
    const wrote = await fetch(`${sim.url}/_sim/stream/bot-messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_id: app.clientId,
        text: '你好',
        conversation_type: '2',
        conversation_id: group.id,
        sender_staff_id: 'cook02',
        sender_nick: '张师傅',
      }),
    });
    expect(wrote.status).toBe(201);
    await waitFor(
      async () =>
        (await db().query(`SELECT 1 FROM received_bot_messages WHERE sender_staff_id = 'cook02'`)).length > 0,
      'the message to be stored',
    );

    await click(outTrackId, { action_id: 'received', user_id: 'cook02' });
    const card = await confirmedCard(outTrackId);
    const [recorded] = await clicksOf(id);
    expect(recorded).toMatchObject({ user_id: 'cook02', user_name: '张师傅', effect: 'confirmed' });
    expect(card.cardData).toMatchObject({
      status: 'received',
      confirmed_text: `已确认 · 张师傅 · ${timeOfDayIn(new Date(recorded.clicked_at), t.config.reportTimeZone)}`,
    });
    // Everyone in the group sees it: 收到 is gone, 已备好 remains.
    expect(sim.cards.render(card, 'cook01').buttons.map((button) => button.text)).toEqual(['已备好']);
    const state = await t.app.get(ConfirmationRecorder).stateOf(id);
    expect(state).toMatchObject({
      status: 'confirmed',
      action: 'received',
      byUserId: 'cook02',
      byName: '张师傅',
    });
    const [reportState] = await db().query(
      `SELECT status, by_name FROM report_confirmations WHERE menu_report_id = $1`,
      [report.id],
    );
    expect(reportState).toEqual({ status: 'confirmed', by_name: '张师傅' });
  });

  it('names a cook who never wrote by the address book (topapi/v2/user/get), else by the userid', async () => {
    const { outTrackId } = await confirmableCard(22);
    await fetch(`${sim.url}/_sim/staff/cook01`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: '李师傅' }),
    });
    await click(outTrackId, { action_id: 'received', user_id: 'cook01' });
    expect((await confirmedCard(outTrackId)).cardData.confirmed_text).toMatch(
      /^已确认 · 李师傅 · \d\d:\d\d$/,
    );

    const second = await confirmableCard(23);
    // Not in the address book at all (DingTalk answers 60121): the userid.
    sim.state.addFault({ path: '/topapi/v2/user/get', mode: 'errcode', errcode: 60121, remaining: 1 });
    await click(second.outTrackId, { action_id: 'received', user_id: 'cook02' });
    expect((await confirmedCard(second.outTrackId)).cardData.confirmed_text).toMatch(/^已确认 · cook02 · /);
  });

  it('counts a redelivered callback, the same press twice at once and a second cook at the same moment once', async () => {
    const { app, group, id, outTrackId, report } = await confirmableCard(24);
    const press = (userId: string) =>
      sim.stream.pushCallback(
        app.clientId,
        TOPIC_CARD_CALLBACK,
        cardCallbackData({
          outTrackId,
          corpId: 'dingcorp',
          userId,
          spaceType: 'IM_GROUP',
          spaceId: group.id,
          actionId: 'received',
          params: { action: 'received' },
        }),
      );
    // The same press delivered twice (a redelivery, or two instances' connections) and cook01 at the same moment.
    for (const userId of ['cook02', 'cook02', 'cook01']) press(userId);
    await waitFor(async () => (await clicksOf(id)).length === 2, 'both cooks recorded');
    await confirmedCard(outTrackId);
    const clicks = await clicksOf(id);
    const confirmed = clicks.filter((row) => row.effect === 'confirmed');
    expect(confirmed).toHaveLength(1);
    expect(new Set(clicks.map((row) => row.dedupe_key)).size).toBe(2);
    // Redelivered later again: nothing moves.
    press(clicks[0].user_id);
    await waitFor(() => t.logs.find('recorded=false').length >= 3, 'the redelivery handled');
    expect(await clicksOf(id)).toHaveLength(2);
    const [reportState] = await db().query(
      `SELECT status, by_user_id FROM report_confirmations WHERE menu_report_id = $1`,
      [report.id],
    );
    // The press recorded first confirms. Not necessarily the earlier clicked_at: two presses at the same moment
    // each take their time before waiting for the other's lock.
    expect(reportState).toEqual({ status: 'confirmed', by_user_id: confirmed[0].user_id });
  });

  it('已备好 after 收到 moves the card on: no button left, the line names who made it ready', async () => {
    const { outTrackId } = await confirmableCard(27);
    await fetch(`${sim.url}/_sim/staff/cook01`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: '王师傅' }),
    });
    await click(outTrackId, { action_id: 'received', user_id: 'cook02' });
    await confirmedCard(outTrackId);
    await click(outTrackId, { action_id: 'ready', user_id: 'cook01' });
    const card = await waitForValue(
      () =>
        sim.cards.card(outTrackId)?.cardData.status === 'ready' ? sim.cards.card(outTrackId) : undefined,
      'the card to be ready',
    );
    expect(card.cardData.confirmed_text).toMatch(/^已确认 · 王师傅 · \d\d:\d\d$/);
    expect(sim.cards.render(card, 'cook02').buttons).toEqual([]);
  });

  it('tries a refused card update again, then logs why; the press stays recorded', async () => {
    const { id, outTrackId } = await confirmableCard(26);
    sim.state.addFault({ path: '/v1.0/card/instances', mode: 'http_500', remaining: 3 });
    await click(outTrackId, { action_id: 'received', user_id: 'cook01' });
    const [logged] = await waitForValue(() => {
      const lines = t.logs.find(`Card not updated out_track_id=${outTrackId} after 3 tries`);
      return lines.length > 0 && lines;
    }, 'the failed update logged');
    expect(JSON.stringify(logged)).toMatch(/the press is recorded/);
    expect(sim.cards.card(outTrackId)?.cardData.confirmed_text).toBe('');
    expect(await clicksOf(id)).toEqual([expect.objectContaining({ user_id: 'cook01', effect: 'confirmed' })]);
  });

  it('ACKs and logs a click on a card that is not one of its notifications, and records nothing', async () => {
    const { app, group } = await confirmableCard(25);
    const pushed = sim.stream.pushCallback(
      app.clientId,
      TOPIC_CARD_CALLBACK,
      cardCallbackData({
        outTrackId: 'other-system-7',
        corpId: 'dingcorp',
        userId: 'cook01',
        spaceType: 'IM_GROUP',
        spaceId: group.id,
        actionId: 'received',
        params: {},
      }),
    );
    await waitFor(
      () => t.logs.find('Ignored a click on an unknown card').length > 0,
      'the unknown card logged',
    );
    // ACKed once, delivered once: DingTalk does not send it again.
    expect(sim.stream.acksOf(pushed.messageId)).toHaveLength(1);
    expect(sim.stream.deliveriesOf(pushed.messageId)).toBe(1);
    expect(
      await db().query(`SELECT 1 FROM confirmation_clicks WHERE dedupe_key LIKE '%other-system-7%'`),
    ).toEqual([]);
  });
});

describe('a press is ACKed once recorded: one that could not be recorded is redelivered, not lost', () => {
  // DingTalk redelivers a callback nobody ACKed (docs/dingtalk/stream-mode.md); here after a second, many times.
  const { sim, t } = useTestApp({
    simulator: { stream: { redeliveryDelayMs: 1_000, maxRedeliveries: 1_000 } },
  });
  const db = () => t.app.get(DataSource);

  it('a press that arrives while its recording fails is recorded by the redelivery, and ACKed only then', async () => {
    const STORE = 41;
    const app = sim.state.registerApp();
    const group = sim.state.ensureConversation({
      type: 'group',
      clientId: app.clientId,
      members: ['cook01'],
    });
    expect(
      (await t.request('PUT', `/api/v1/stores/${STORE}/confirmation-settings`, { body: { enabled: true } }))
        .status,
    ).toBe(200);
    await givenStreamBot(t, app, {
      store_id: STORE,
      open_conversation_id: group.id,
      card_template_id: KITCHEN_CONFIRMATION_TEMPLATE_ID,
    });
    await waitFor(() => sim.stream.connections(app.clientId).length === 1, 'the app connected');
    const report = await givenMenuReport(t, { store_id: STORE });
    const card = await waitForValue(
      () => sim.cards.all({ clientId: app.clientId, conversationId: group.id })[0],
      'the card in the group',
    );

    // The recording fails (as a crash between arrival and commit would leave it: nothing kept).
    await db().query(`ALTER TABLE confirmation_clicks RENAME TO confirmation_clicks_away`);
    let pushed: { messageId: string };
    try {
      pushed = sim.stream.pushCallback(
        app.clientId,
        TOPIC_CARD_CALLBACK,
        cardCallbackData({
          outTrackId: card.outTrackId,
          corpId: 'dingcorp',
          userId: 'cook01',
          spaceType: 'IM_GROUP',
          spaceId: group.id,
          actionId: 'received',
          params: { action: 'received' },
        }),
      );
      await waitFor(() => t.logs.find('Card click not handled').length > 0, 'the failed recording');
      expect(sim.stream.acksOf(pushed.messageId)).toEqual([]);
    } finally {
      await db().query(`ALTER TABLE confirmation_clicks_away RENAME TO confirmation_clicks`);
    }

    const confirmation = await waitForValue(async () => {
      const response = await t.request('GET', `/api/v1/menu-reports/${report.id}`);
      const state = response.body.data.confirmation as Record<string, unknown>;
      return state.status === 'confirmed' ? state : undefined;
    }, 'the redelivered press recorded');
    expect(confirmation).toMatchObject({ action: 'received', by_user_id: 'cook01', via: 'card' });
    await waitFor(() => sim.stream.acksOf(pushed.messageId).length > 0, 'the press ACKed');
    expect(sim.stream.deliveriesOf(pushed.messageId)).toBeGreaterThan(1);
  });
});

describe('kitchen confirmation through a card, end to end (report → card in the group → 收到 → confirmed)', () => {
  const { sim, t } = useTestApp({ simulator: true });

  it("a stream bot's report is a card; a cook's 收到 shows on it for everyone and confirms the report in the API", async () => {
    const STORE = 31;
    const app = sim.state.registerApp();
    const group = sim.state.ensureConversation({
      type: 'group',
      title: '三十一号店厨房',
      clientId: app.clientId,
      members: ['cook01', 'cook02'],
    });
    const settings = await t.request('PUT', `/api/v1/stores/${STORE}/confirmation-settings`, {
      body: { enabled: true },
    });
    expect(settings.status, settings.text).toBe(200);
    await givenStreamBot(t, app, {
      store_id: STORE,
      open_conversation_id: group.id,
      card_template_id: KITCHEN_CONFIRMATION_TEMPLATE_ID,
    });
    await waitFor(() => sim.stream.connections(app.clientId).length === 1, 'the app connected');
    await fetch(`${sim.url}/_sim/staff/cook02`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: '张师傅' }),
    });
    const report = await givenMenuReport(t, {
      store_id: STORE,
      dish_name: '宫保鸡丁',
      quantity: 8,
      unit: '份',
    });

    const card = await waitForValue(
      () => sim.cards.all({ clientId: app.clientId, conversationId: group.id })[0],
      'the card in the group',
    );
    expect(card.cardData).toMatchObject({
      dish_name: '宫保鸡丁',
      quantity: '8 份',
      status: '',
      confirmed_text: '',
    });
    const clicked = await fetch(`${sim.url}/_sim/cards/${card.outTrackId}/click`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: '收到', user_id: 'cook02' }),
    });
    expect(clicked.status).toBe(201);

    const shown = await waitForValue(
      () => (card.cardData.confirmed_text !== '' ? card.cardData : undefined),
      'the card to say who confirmed',
    );
    const confirmation = await waitForValue(async () => {
      const response = await t.request('GET', `/api/v1/menu-reports/${report.id}`);
      const state = response.body.data.confirmation as Record<string, unknown>;
      return state.status === 'confirmed' ? state : undefined;
    }, 'the report confirmed');
    expect(confirmation).toMatchObject({
      action: 'received',
      by_user_id: 'cook02',
      by_name: '张师傅',
      via: 'card',
    });
    const at = timeOfDayIn(new Date(confirmation.confirmed_at as string), t.config.reportTimeZone);
    expect(shown).toMatchObject({ status: 'received', confirmed_text: `已确认 · 张师傅 · ${at}` });
    expect(sim.cards.render(card, 'cook01').buttons.map((button) => button.text)).toEqual(['已备好']);
  });
});

describe('a confirming stream bot with user_ids: the card to the group, the report to its users (issue 22)', () => {
  const { sim, t } = useTestApp({
    simulator: true,
    env: { DELIVERY_RETRY_SCHEDULE: '100ms,100ms,100ms', DINGTALK_SEND_RESULT_WAITS: '100ms,100ms' },
  });

  // A case that failed leaves its faults (and counters) behind: the next starts without them.
  afterEach(() => {
    sim.state.faults = [];
  });

  /** A store that confirms, its app's robot in the kitchen group, a stream bot with the group, the card and a manager. */
  async function confirmingKitchen(store: number) {
    const app = sim.state.registerApp();
    const group = sim.state.ensureConversation({
      type: 'group',
      title: `${store} 号店厨房`,
      clientId: app.clientId,
      members: ['cook01', 'manager01'],
    });
    const settings = await t.request('PUT', `/api/v1/stores/${store}/confirmation-settings`, {
      body: { enabled: true },
    });
    expect(settings.status, settings.text).toBe(200);
    const bot = await givenStreamBot(t, app, {
      store_id: store,
      user_ids: ['manager01'],
      open_conversation_id: group.id,
      card_template_id: KITCHEN_CONFIRMATION_TEMPLATE_ID,
    });
    const post = async () => {
      const report = await givenMenuReport(t, { store_id: store, dish_name: '宫保鸡丁', quantity: 8 });
      expect(report.notifications).toHaveLength(1);
      return { report, id: String(report.notifications[0].id) };
    };
    return { app, group, bot, post };
  }
  const workNotifications = (clientId: string) =>
    sim.state.received({ channel: 'work_notification', target: 'manager01', clientId });
  /** Counts the calls of an API: a fault that changes nothing, `uses` of it. */
  const countCalls = (path: string, uses: number) =>
    sim.state.addFault({ path, mode: 'slow', delayMs: 0, remaining: uses });
  /** The calls the counter had left, the counter removed (the next case's faults come first again). */
  const callsLeft = (path: string) => {
    const left =
      sim.state.faults.find((fault) => fault.path === path && fault.mode === 'slow')?.remaining ?? 0;
    sim.state.faults = sim.state.faults.filter((fault) => !(fault.path === path && fault.mode === 'slow'));
    return left;
  };
  const CARD_API = '/v1.0/card/instances';
  const WORK_API = '/topapi/message/corpconversation/asyncsend_v2';

  it("one notification: the card in the group, the markdown report as manager01's work notification, both recorded", async () => {
    const { app, group, post } = await confirmingKitchen(41);
    const { report, id } = await post();
    const row = await settled(t, id);
    expect(row).toMatchObject({
      status: 'sent',
      msg_type: 'card',
      targets: [
        { target: 'users', status: 'sent' },
        { target: 'group', status: 'sent' },
      ],
      recipients: [{ user_id: 'manager01', outcome: 'delivered', errcode: null }],
    });
    const cards = sim.cards.all({ clientId: app.clientId, conversationId: group.id });
    expect(cards).toHaveLength(1);
    expect(cards[0]).toMatchObject({ outTrackId: `notification-${id}`, cardData: { dish_name: '宫保鸡丁' } });
    // What manager01 got before confirmation was on: the bot's markdown report, no card, no buttons.
    const [work, ...more] = workNotifications(app.clientId);
    expect(more).toEqual([]);
    expect(work).toMatchObject({ msgtype: 'markdown', title: row.title, errcode: 0 });
    expect(work.text).toContain(`#${report.id}`);
    expect(work.text).not.toContain('cardParamMap');
    // Nothing went to the group as a plain message: the card is the group's.
    expect(sim.state.received({ channel: 'group', target: group.id })).toEqual([]);
  });

  it("retries a failed work notification to manager01 alone: the group's card is not made or delivered again", async () => {
    const { app, group, post } = await confirmingKitchen(42);
    sim.state.addFault({ path: WORK_API, mode: 'http_500', remaining: 1 });
    countCalls(CARD_API, 2);
    const { id } = await post();
    const row = await settled(t, id);
    expect(row).toMatchObject({
      status: 'sent',
      targets: [
        { target: 'users', status: 'sent' },
        { target: 'group', status: 'sent' },
      ],
    });
    const attempts = (await t.request('GET', `/api/v1/notifications/${id}`)).body.data.attempts as Array<{
      outcome: string;
    }>;
    expect(attempts.map((attempt) => attempt.outcome)).toEqual(['transient', 'ok']);
    expect(callsLeft(CARD_API)).toBe(1); // one card call: the first attempt's
    expect(sim.cards.all({ clientId: app.clientId, conversationId: group.id })).toHaveLength(1);
    expect(workNotifications(app.clientId).filter((message) => message.errcode === 0)).toHaveLength(1);
  });

  it("retries a failed card alone: manager01's work notification is not sent again", async () => {
    const { app, group, post } = await confirmingKitchen(43);
    sim.state.addFault({ path: `${CARD_API}/createAndDeliver`, mode: 'http_500', remaining: 1 });
    countCalls(WORK_API, 2);
    const { id } = await post();
    const row = await settled(t, id);
    expect(row).toMatchObject({ status: 'sent', msg_type: 'card' });
    const attempts = (await t.request('GET', `/api/v1/notifications/${id}`)).body.data.attempts as Array<{
      outcome: string;
    }>;
    expect(attempts.map((attempt) => attempt.outcome)).toEqual(['transient', 'ok']);
    expect(callsLeft(WORK_API)).toBe(1);
    expect(workNotifications(app.clientId)).toHaveLength(1);
    expect(sim.cards.all({ clientId: app.clientId, conversationId: group.id })).toHaveLength(1);
  });
});
