import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupMessageBody } from '../../src/dingtalk/message-bodies';
import { signedWebhookUrl } from '../../src/dingtalk/webhook-signing';
import { KITCHEN_CONFIRMATION_TEMPLATE_ID } from '../../simulator/cards/repo-card-templates';
import { startSimulator, Simulator } from '../../simulator/simulator';
import WebSocket from 'ws';
import { BROWSER_REQUIRED, browserAvailable, CHROMIUM_PATH, launchBrowser } from '../support/browser';
import { waitFor } from '../support/wait-for';

const SCREENSHOTS = join(__dirname, '..', '..', '.tmp', 'screenshots');
/** A form shows "sending…" until the simulator answers; on a loaded machine that takes more than a frame. */
const SETTLES = { timeout: 10_000, interval: 50 };

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/**
 * A minimal Stream client (docs/dingtalk/stream-mode.md): a ticket, the WebSocket, and an ACK for every bot message,
 * which it keeps; subscribed to events too when `eventStatus` says how to answer them. The official SDK is proven
 * against the gateway in stream-gateway.e2e-spec.ts; here only the page is tested.
 */
async function connectStreamBot(
  baseUrl: string,
  clientId: string,
  clientSecret: string,
  eventStatus?: 'SUCCESS' | 'LATER',
) {
  const opened = await postJson(`${baseUrl}/v1.0/gateway/connections/open`, {
    clientId,
    clientSecret,
    subscriptions: [
      { type: 'CALLBACK', topic: '/v1.0/im/bot/messages/get' },
      { type: 'CALLBACK', topic: '/v1.0/card/instances/callback' },
      ...(eventStatus ? [{ type: 'EVENT', topic: '*' }] : []),
    ],
  });
  const socket = new WebSocket(`${String(opened.json.endpoint)}?ticket=${String(opened.json.ticket)}`);
  const messages: Array<Record<string, unknown>> = [];
  const cardClicks: Array<Record<string, unknown>> = [];
  socket.on('message', (raw: Buffer) => {
    const frame = JSON.parse(raw.toString()) as {
      type: string;
      headers: { messageId: string; topic: string };
      data: string;
    };
    socket.send(
      JSON.stringify({
        code: 200,
        headers: { contentType: 'application/json', messageId: frame.headers.messageId },
        message: 'OK',
        data:
          frame.type === 'SYSTEM'
            ? frame.data
            : JSON.stringify(frame.type === 'EVENT' ? { status: eventStatus } : { response: null }),
      }),
    );
    if (frame.headers.topic === '/v1.0/im/bot/messages/get')
      messages.push(JSON.parse(frame.data) as Record<string, unknown>);
    if (frame.headers.topic === '/v1.0/card/instances/callback')
      cardClicks.push(JSON.parse(frame.data) as Record<string, unknown>);
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return { messages, cardClicks, close: () => socket.close() };
}

describe('simulator web page: browser available', () => {
  it(`has Chromium at ${CHROMIUM_PATH} when CI=1 or REQUIRE_BROWSER=1`, () => {
    if (!browserAvailable && !BROWSER_REQUIRED) {
      console.warn(
        `SKIPPED the simulator's browser tests: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium; set CHROMIUM_PATH to use another).`,
      );
    }
    expect(browserAvailable || !BROWSER_REQUIRED).toBe(true);
  });
});

describe.skipIf(!browserAvailable)('simulator web page (headless Chromium)', () => {
  let sim: Simulator;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let page: Page;

  beforeAll(async () => {
    sim = await startSimulator();
    browser = await launchBrowser();
    page = await browser.context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await sim?.close();
  });

  it('shows a markdown message a robot webhook received, rendered, and saves a screenshot', async () => {
    const robot = sim.state.registerRobot({ name: '门店一号店群' });
    const markdown = {
      msgtype: 'markdown',
      markdown: {
        title: '今日报菜',
        text: '#### 今日报菜 · 一号店\n> 午市\n\n- **宫保鸡丁** ¥28\n- 清炒时蔬 ¥16\n\n<img src=x onerror="window.pwned=1"> [menu](javascript:window.pwned=2)',
      },
    };
    const answer = await postJson(`${sim.url}/robot/send?access_token=${robot.token}`, markdown);
    expect(answer.json.errcode).toBe(0);

    await page.goto(`${sim.url}/#${encodeURIComponent(`robot:${robot.token}`)}`);
    const message = page.locator('#messages .msg').first();
    await expect(message.locator('h4').textContent()).resolves.toBe('今日报菜 · 一号店');
    await expect(message.locator('strong').textContent()).resolves.toBe('宫保鸡丁');
    await expect(message.locator('blockquote').textContent()).resolves.toContain('午市');
    await expect(message.locator('img').count()).resolves.toBe(0);
    await expect(message.locator('a').count()).resolves.toBe(0);
    await expect(message.locator('.body').textContent()).resolves.toContain('<img src=x onerror=');
    await expect(page.evaluate(() => (globalThis as { pwned?: number }).pwned)).resolves.toBeUndefined();
    await expect(page.locator('#title').textContent()).resolves.toBe('门店一号店群');

    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'simulator-markdown.png'), fullPage: true });
  });

  it('lists app groups and people, and shows new messages without a reload', async () => {
    const app = sim.state.registerApp({ clientId: 'dingpage' });
    const group = sim.state.ensureConversation({ title: '后厨群', clientId: app.clientId });
    const token = (
      (await (
        await fetch(`${sim.url}/gettoken?appkey=${app.clientId}&appsecret=${app.clientSecret}`)
      ).json()) as {
        access_token: string;
      }
    ).access_token;
    const send = (text: string) =>
      postJson(
        `${sim.url}/v1.0/robot/groupMessages/send`,
        groupMessageBody(app.robotCode, group.id, { msgType: 'markdown', title: '备菜', text }),
        { 'x-acs-dingtalk-access-token': token },
      );
    expect((await send('## 备菜清单\n1. 葱')).status).toBe(200);
    await postJson(`${sim.url}/topapi/message/corpconversation/asyncsend_v2?access_token=${token}`, {
      agent_id: Number(app.agentId),
      userid_list: 'manager01',
      msg: { msgtype: 'text', text: { content: '<b>not bold</b>' } },
    });

    await page.goto(sim.url);
    await page.locator('#groups .conversation', { hasText: '后厨群' }).click();
    await expect(page.locator('#messages h2').textContent()).resolves.toBe('备菜清单');
    expect((await send('第二条 **新**')).status).toBe(200);
    await page.locator('#messages strong', { hasText: '新' }).waitFor();

    await page.locator('#people .conversation', { hasText: '工作通知 · manager01' }).click();
    await expect(page.locator('#messages .body').first().textContent()).resolves.toBe('<b>not bold</b>');
  });

  it('shows the refusal when the box writes to a bot that is not connected', async () => {
    const app = sim.state.registerApp({ clientId: 'dingnobody' });
    sim.state.ensureConversation({ title: '没有连接的群', clientId: app.clientId });
    await page.goto(sim.url);
    await page.locator('#groups .conversation', { hasText: '没有连接的群' }).click();
    await page.locator('#write textarea').fill('今天几点开门?');
    await page.locator('#write button').click();
    await expect(page.locator('#write .result.error').textContent()).resolves.toMatch(/^HTTP \d{3}: .+/);
  });

  it('delivers what a staff member writes in the box to the connected Stream bot, and shows its group reply', async () => {
    const app = sim.state.registerApp({ clientId: 'dingstream' });
    const group = sim.state.ensureConversation({ title: '一号店群', clientId: app.clientId });
    const bot = await connectStreamBot(sim.url, app.clientId, app.clientSecret);
    try {
      await page.goto(sim.url);
      await page.locator(`#groups .conversation[data-key="conv:${group.id}"]`).click();
      await page.locator('#write input[name=sender_nick]').fill('王店长');
      await page.locator('#write textarea').fill('绑定');
      await page.locator('#write button').click();
      await expect.poll(() => page.locator('#write .result').textContent(), SETTLES).toBe('sent');
      const mine = page.locator('#messages .msg.mine');
      await expect(mine.locator('.body').textContent()).resolves.toBe('绑定');
      await expect(mine.locator('.meta').textContent()).resolves.toMatch(/^王店长 · /);

      await waitFor(() => bot.messages.length === 1, 'the bot message frame');
      expect(bot.messages[0]).toMatchObject({
        conversationId: group.id,
        conversationType: '2',
        senderNick: '王店长',
        // DingTalk starts a group message's text with the space left by the @mention (docs/dingtalk/stream-mode.md).
        text: { content: expect.stringMatching(/^ ?绑定$/) as unknown },
      });

      const token = (
        (await (
          await fetch(`${sim.url}/gettoken?appkey=${app.clientId}&appsecret=${app.clientSecret}`)
        ).json()) as { access_token: string }
      ).access_token;
      const reply = groupMessageBody(app.robotCode, group.id, {
        msgType: 'markdown',
        title: '已绑定',
        text: '**已绑定** 本群',
      });
      const sent = await postJson(`${sim.url}/v1.0/robot/groupMessages/send`, reply, {
        'x-acs-dingtalk-access-token': token,
      });
      expect(sent.status).toBe(200);
      await page.locator('#messages strong', { hasText: '已绑定' }).waitFor();
    } finally {
      bot.close();
    }
  });

  it('lists an app with its groups, and writes to its bot as a chosen member of a chosen group', async () => {
    const app = sim.state.registerApp({ clientId: 'dingchain' });
    const kitchens = ['一号店后厨', '二号店后厨', '三号店后厨'].map((title, i) =>
      sim.state.ensureConversation({ title, clientId: app.clientId, members: [`cook${i + 1}`, 'manager01'] }),
    );
    const bot = await connectStreamBot(sim.url, app.clientId, app.clientSecret);
    try {
      await page.goto(sim.url);
      const listed = page.locator('#apps .app', { hasText: 'dingchain · 3 groups' });
      // The list appears with the page's first poll of the simulator.
      await listed.waitFor();
      await expect(listed.locator('.group').allTextContents()).resolves.toEqual([
        '一号店后厨',
        '二号店后厨',
        '三号店后厨',
      ]);
      await listed.locator('.group', { hasText: '二号店后厨' }).click();
      await expect(page.locator('#title').textContent()).resolves.toBe('二号店后厨');
      // One robot in the group: nothing to choose; its members are offered as senders.
      await expect(page.locator('#write select[name=client_id]').isHidden()).resolves.toBe(true);
      await expect(
        page
          .locator('#members option')
          .evaluateAll((options) => options.map((option) => option.getAttribute('value'))),
      ).resolves.toEqual(['cook2', 'manager01']);
      await page.locator('#write input[name=sender_staff_id]').fill('cook2');
      await page.locator('#write textarea').fill('报菜 鱼香肉丝 8 份');
      await page.locator('#write button').click();
      await expect.poll(() => page.locator('#write .result').textContent(), SETTLES).toBe('sent');

      await waitFor(() => bot.messages.length === 1, 'the bot message frame');
      expect(bot.messages[0]).toMatchObject({
        conversationId: kitchens[1].id,
        conversationTitle: '二号店后厨',
        senderStaffId: 'cook2',
      });
    } finally {
      bot.close();
    }
  });

  it('pushes an event from the form and shows how the client ACKed it', async () => {
    const app = sim.state.registerApp({ clientId: 'dingevents' });
    const bot = await connectStreamBot(sim.url, app.clientId, app.clientSecret, 'LATER');
    try {
      await page.goto(sim.url);
      const form = page.locator('#event-form');
      await form.locator('select').selectOption(app.clientId);
      await form.locator('input[name=event_type]').fill('user_add_org');
      await form.locator('textarea').fill('not json');
      await form.locator('button').click();
      await expect(form.locator('.result.error').textContent()).resolves.toMatch(/^The payload is not JSON/);

      await form.locator('textarea').fill('{"userId":["manager01"]}');
      await form.locator('button').click();
      await expect.poll(() => form.locator('.result').textContent(), SETTLES).toBe('sent');
      const listed = page.locator('#events .event', { hasText: 'user_add_org · dingevents' });
      await listed.locator('.status', { hasText: 'ACK LATER' }).waitFor();
      await expect(listed.textContent()).resolves.toContain('will be redelivered');
      const [event] = sim.stream.events(app.clientId);
      expect(JSON.parse(event.data)).toEqual({ userId: ['manager01'] });
    } finally {
      bot.close();
    }
  });

  it('shows a card with its buttons, pushes a click as the chosen member, and shows the update', async () => {
    const app = sim.state.registerApp({ clientId: 'dingcards' });
    const kitchen = sim.state.ensureConversation({
      title: '二号店后厨',
      clientId: app.clientId,
      members: ['cook01', 'cook02'],
    });
    const { accessToken } = (
      await postJson(`${sim.url}/v1.0/oauth2/accessToken`, {
        appKey: app.clientId,
        appSecret: app.clientSecret,
      })
    ).json as { accessToken: string };
    const auth = { 'x-acs-dingtalk-access-token': accessToken };
    const created = await postJson(
      `${sim.url}/v1.0/card/instances/createAndDeliver`,
      {
        cardTemplateId: KITCHEN_CONFIRMATION_TEMPLATE_ID,
        outTrackId: 'report-7',
        callbackType: 'STREAM',
        cardData: {
          cardParamMap: {
            title: '报菜 · 二号店',
            dish_name: '鱼香肉丝',
            quantity: '8 份',
            store_name: '二号店',
            report_time: '10:40',
            status: '',
            confirmed_text: '',
          },
        },
        imGroupOpenSpaceModel: {},
        openSpaceId: `dtv1.card//IM_GROUP.${kitchen.id}`,
        imGroupOpenDeliverModel: { robotCode: app.robotCode },
      },
      auth,
    );
    expect(created.status).toBe(200);
    const bot = await connectStreamBot(sim.url, app.clientId, app.clientSecret);
    try {
      await page.goto(sim.url);
      await page.locator(`#groups .conversation[data-key="conv:${kitchen.id}"]`).click();
      const card = page.locator('#messages .card[data-out-track-id="report-7"]');
      await expect(card.locator('.card-line').allTextContents()).resolves.toEqual([
        '报菜 · 二号店',
        '菜品：鱼香肉丝',
        '数量：8 份',
        '门店：二号店',
        '时间：10:40',
      ]);
      await expect(card.locator('.card-button').allTextContents()).resolves.toEqual(['收到', '已备好']);

      await page.locator('#card-clicker input').fill('cook02');
      await card.locator('.card-button', { hasText: '收到' }).click();
      await expect
        .poll(() => card.locator('.card-result').textContent(), SETTLES)
        .toBe('callback sent as cook02');
      await waitFor(() => bot.cardClicks.length === 1, 'the card callback');
      expect(bot.cardClicks[0]).toMatchObject({
        outTrackId: 'report-7',
        userId: 'cook02',
        spaceId: kitchen.id,
      });

      const request = await fetch(`${sim.url}/v1.0/card/instances`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify({
          outTrackId: 'report-7',
          cardData: { cardParamMap: { status: 'received', confirmed_text: '已确认 · 张师傅 · 10:42' } },
          cardUpdateOptions: { updateCardDataByKey: true },
        }),
      });
      expect(request.status).toBe(200);
      await card.locator('.card-line', { hasText: '已确认 · 张师傅 · 10:42' }).waitFor();
      await expect(card.locator('.card-button').allTextContents()).resolves.toEqual(['已备好']);
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, 'simulator-card.png'), fullPage: true });
    } finally {
      bot.close();
    }
  });
  it('breaks and mends a custom robot from its group, and resets an AppSecret, each new secret shown once', async () => {
    const robot = sim.state.registerRobot({ name: '总部群', secret: 'SECold' });
    const sendSigned = async (secret: string) =>
      (
        await postJson(
          signedWebhookUrl(`${sim.url}/robot/send?access_token=${robot.token}`, secret, Date.now()),
          {
            msgtype: 'text',
            text: { content: '告警：一号店机器人失效' },
          },
        )
      ).json.errcode;
    expect(await sendSigned('SECold')).toBe(0);

    await page.goto(sim.url);
    await page.locator(`#groups .conversation[data-key="robot:${robot.token}"]`).click();
    const controls = page.locator('#robot-controls');
    await expect.poll(() => controls.locator('.state').textContent(), SETTLES).toBe('已启用 · 加签');
    await controls.locator('button', { hasText: '停用机器人' }).click();
    await expect.poll(() => controls.locator('.state').textContent(), SETTLES).toBe('已停用 · 加签');
    // Disabled, as DingTalk answers a robot switched off in the group's settings (docs/dingtalk/custom-robot.md).
    expect(await sendSigned('SECold')).toBe(400102);
    await expect(page.locator('#subtitle').textContent()).resolves.toContain('已停用');

    await controls.locator('button', { hasText: '启用机器人' }).click();
    await expect.poll(() => controls.locator('.state').textContent(), SETTLES).toBe('已启用 · 加签');
    expect(await sendSigned('SECold')).toBe(0);

    await controls.locator('button', { hasText: '重置加签密钥' }).click();
    const shown = controls.locator('.secret-note code.secret');
    await shown.waitFor(SETTLES);
    const secret = (await shown.textContent()) ?? '';
    expect(secret).toMatch(/^SEC[0-9a-f]{64}$/);
    expect(robot.secret).toBe(secret);
    expect(await sendSigned('SECold')).toBe(310000);
    expect(await sendSigned(secret)).toBe(0);
    // Shown to whoever reset it, never served by the page's data.
    expect(JSON.stringify(await (await fetch(`${sim.url}/_sim/page/data`)).json())).not.toContain(secret);

    const app = sim.state.registerApp({ clientId: 'dingrevoked' });
    const oldSecret = app.clientSecret;
    const gettoken = async (appsecret: string) =>
      (
        (await (await fetch(`${sim.url}/gettoken?appkey=${app.clientId}&appsecret=${appsecret}`)).json()) as {
          errcode: number;
        }
      ).errcode;
    expect(await gettoken(oldSecret)).toBe(0);
    const listed = page.locator(`#apps .app[data-client-id="${app.clientId}"]`);
    await listed.waitFor(SETTLES);
    await listed.locator('button', { hasText: '重置 AppSecret' }).click();
    const appSecret = listed.locator('.secret-note code.secret');
    await appSecret.waitFor(SETTLES);
    const newSecret = (await appSecret.textContent()) ?? '';
    expect(newSecret).toMatch(/^[\w-]{64}$/);
    expect(await gettoken(oldSecret)).not.toBe(0);
    expect(await gettoken(newSecret)).toBe(0);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'simulator-robot-controls.png'), fullPage: true });
  });
});
