import { describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { OutboxRepository } from '../../src/notify/delivery/queue/outbox.repository';
import { SimApp } from '../../simulator/core/simulator-state';
import { KITCHEN_CONFIRMATION_TEMPLATE_ID } from '../../simulator/cards/repo-card-templates';
import { CreatedBot, givenStreamBot, givenWebhookBot } from '../support/given';
import { TestApp } from '../support/test-app';
import { useTestApp } from '../support/use-test-app';
import { waitForValue } from '../support/wait-for';

/** A card notification row as the rendering writes it (msg_type card, content its variables' JSON). */
async function enqueueCard(
  t: TestApp,
  bot: Pick<CreatedBot, 'id'> & { store_id?: number },
  cardParamMap: Record<string, string>,
): Promise<string> {
  const db = t.app.get(DataSource);
  const [queued] = await t.app.get(OutboxRepository).enqueue(
    db.manager,
    [
      {
        botId: bot.id,
        storeId: bot.store_id ?? 1,
        menuReportId: null,
        kind: 'batch',
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
