import { randomBytes } from 'node:crypto';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource } from 'typeorm';
import { beforeAll, describe, expect, it } from 'vitest';
import { SESSION_TTL_MS, SimApp } from '../../simulator/core/simulator-state';
import { BotUpdatedEvent } from '../../src/events/dingtalk-bot.events';
import { AppEvent } from '../../src/events/app-events';
import { TOPIC_BOT_MESSAGE } from '../../src/stream/receiving/bot-message.handler';
import { STREAM_CALLBACKS, StreamCallbackHandler } from '../../src/stream/stream-callback';
import { ManualClock } from '../support/clocks';
import { waitFor } from '../support/wait-for';
import { givenStreamBot } from '../support/given';
import { useTestApp } from '../support/use-test-app';

/**
 * Receiving stream bot messages through the seam the Stream connection uses (the StreamCallbacks port's handle, after its
 * ACK): real database, replies over real sockets to the simulator's sendBySession, reports through the same service
 * as the HTTP API.
 */
describe('receiving stream bot messages', () => {
  const clock = new ManualClock(Date.now());
  /** The database outlives the application: the restart test starts a new one on it. */
  const { sim, t, restart } = useTestApp({ simulator: true, clock });
  let app: SimApp;
  let botId: number;
  let appId: number;
  const STORE = 7;

  beforeAll(async () => {
    app = sim.state.registerApp();
    const bot = await givenStreamBot(t, app, { name: '门店七号', store_id: STORE });
    botId = bot.id;
    appId = bot.app_id;
  });

  interface Written {
    /** What the message claims as its session's expiry (default: the simulator's real one). */
    sessionWebhookExpiredTime?: number;
    conversationId?: string;
    conversationType?: '1' | '2';
    msgId?: string;
    senderStaffId?: string;
  }

  /** A CALLBACK frame as the gateway delivers it (docs/dingtalk/stream-mode.md), with a fresh reply session. */
  const frame = (content: string, options: Written = {}) => {
    const conversationId = options.conversationId ?? 'cidStoreSevenGroup==';
    const conversationType = options.conversationType ?? '2';
    const senderStaffId = options.senderStaffId ?? 'manager1234';
    const session = sim.state.openSession({
      clientId: app.clientId,
      conversationId,
      conversationType,
      senderStaffId,
    });
    const data = {
      conversationId,
      conversationType,
      conversationTitle: conversationType === '2' ? '七号店厨房群' : undefined,
      atUsers: [{ dingtalkId: '$:LWCP_v1:$bot' }],
      chatbotCorpId: 'dingcorp',
      chatbotUserId: '$:LWCP_v1:$bot',
      msgId: options.msgId ?? `msg${randomBytes(12).toString('base64')}`,
      senderNick: '张三',
      isAdmin: false,
      senderStaffId,
      sessionWebhookExpiredTime: options.sessionWebhookExpiredTime ?? session.expiresAt,
      createAt: clock.now(),
      senderCorpId: 'dingcorp',
      senderId: '$:LWCP_v1:$sender',
      isInAtList: true,
      sessionWebhook: sim.state.sessionWebhook(sim.url, session),
      text: { content },
      robotCode: app.clientId,
      msgtype: 'text',
    };
    return {
      appId,
      clientId: app.clientId,
      topic: TOPIC_BOT_MESSAGE,
      messageId: `${randomBytes(4).toString('hex')}_974_1898c159aa6_1783b`,
      data: JSON.stringify(data),
      conversationId,
      session,
    };
  };
  /** 帮助 written to the robot in a one-to-one chat by `senderStaffId`. */
  const helpInChat = (conversationId: string, senderStaffId: string) =>
    frame('帮助', { conversationId, conversationType: '1', senderStaffId });

  /** What a connection hands its callbacks to (bound in src/composition.module.ts). */
  const callbacks = () => t.app.get<StreamCallbackHandler>(STREAM_CALLBACKS, { strict: false });
  const dispatch = (written: ReturnType<typeof frame>) => callbacks().handle(written);

  const repliesIn = (conversationId: string) =>
    sim.state.received({ channel: 'session', target: conversationId, accepted: true });

  const reportsOfStore = async () => {
    const response = await t.request('GET', `/api/v1/menu-reports?store_id=${STORE}&page_size=100`);
    expect(response.status).toBe(200);
    return response.body.data.items as Array<Record<string, unknown> & { id: number }>;
  };

  const receivedRows = (msgId: string) =>
    t.app.get(DataSource).query('SELECT * FROM received_bot_messages WHERE msg_id = $1', [msgId]);

  it('报菜 creates a report through the menu-report service and confirms in the conversation', async () => {
    const written = frame('报菜 宫保鸡丁 50 份', { conversationId: 'cidReport==' });
    await dispatch(written);

    const [report] = await reportsOfStore();
    expect(report).toMatchObject({
      store_id: STORE,
      dish_name: '宫保鸡丁',
      quantity: 50,
      unit: '份',
      remark: null,
      reported_by: '张三',
      source: 'dingtalk',
    });
    // The notifications follow as for any report: one per enabled bot of the store.
    expect(report.notifications).toEqual([
      {
        id: expect.any(Number),
        bot_id: botId,
        status: expect.any(String),
        confirmation: expect.objectContaining({ status: 'off' }),
      },
    ]);

    const replies = repliesIn('cidReport==');
    expect(replies).toHaveLength(1);
    expect(replies[0].text).toBe(
      `已报菜：宫保鸡丁 50 份\n门店 ${STORE} · 报菜编号 #${report.id} · 报菜人 张三`,
    );

    const [row] = await receivedRows(JSON.parse(written.data).msgId);
    expect(row).toMatchObject({
      bot_id: botId,
      store_id: STORE,
      robot_code: app.clientId,
      conversation_id: 'cidReport==',
      conversation_type: '2',
      sender_staff_id: 'manager1234',
      sender_nick: '张三',
      text: '报菜 宫保鸡丁 50 份',
      command: 'report',
      outcome: 'report_created',
      menu_report_id: report.id,
      reply_via: 'session',
      reply_error: null,
    });
    expect(row.handled_at).not.toBeNull();
  });

  it('understands 50份 and 2.5 斤, and a remark after the unit', async () => {
    await dispatch(frame('报菜 宫保鸡丁 50份', { conversationId: 'cidUnits==' }));
    await dispatch(frame('报菜 米饭 2.5 斤 中午用', { conversationId: 'cidUnits==' }));
    const [rice, chicken] = await reportsOfStore();
    expect(chicken).toMatchObject({ dish_name: '宫保鸡丁', quantity: 50, unit: '份' });
    expect(rice).toMatchObject({ dish_name: '米饭', quantity: 2.5, unit: '斤', remark: '中午用' });
    expect(repliesIn('cidUnits==').map((reply) => reply.text?.split('\n')[0])).toEqual([
      '已报菜：宫保鸡丁 50 份',
      '已报菜：米饭 2.5 斤（备注：中午用）',
    ]);
  });

  it('a redelivered message creates one report, also after the service restarted on the same database', async () => {
    const written = frame('报菜 鱼香肉丝 8 份', { conversationId: 'cidRedeliver==' });
    const before = (await reportsOfStore()).length;
    await dispatch(written);
    await dispatch(written);
    await Promise.all([dispatch(written), dispatch(written)]);
    expect(t.logs.find('Duplicate bot message ignored')).toHaveLength(3);

    // A restart: the same database, a new process that remembers nothing; DingTalk redelivers with a new frame id.
    await restart();
    await dispatch({ ...written, messageId: 'redelivered_after_restart' });
    expect(t.logs.find('Duplicate bot message ignored')).toHaveLength(1);

    const reports = await reportsOfStore();
    expect(reports).toHaveLength(before + 1);
    expect(reports.filter((report) => report.dish_name === '鱼香肉丝')).toHaveLength(1);
    expect(repliesIn('cidRedeliver==')).toHaveLength(1);
    expect(await receivedRows(JSON.parse(written.data).msgId)).toHaveLength(1);
  });

  it('a message whose handler died is taken over by its redelivery, and never reported twice', async () => {
    const data = t.app.get(DataSource);
    /** What a process killed mid-handling leaves: the message stored, never marked handled, minutes ago. */
    const dieWhileHandling = async (msgId: string, menuReportId: number | null) => {
      await data.query(
        `UPDATE received_bot_messages SET handled_at = NULL, outcome = NULL, menu_report_id = $2, received_at = $3
         WHERE msg_id = $1`,
        [msgId, menuReportId, new Date(clock.now() - 5 * 60_000)],
      );
    };

    // Died before its report was committed: the redelivery makes the report.
    const first = frame('报菜 红烧肉 12 份', { conversationId: 'cidTakeOver==' });
    await dispatch(first);
    const msgId = JSON.parse(first.data).msgId as string;
    const [made] = await reportsOfStore();
    await data.query('DELETE FROM notifications WHERE menu_report_id = $1', [made.id]);
    await data.query('DELETE FROM menu_reports WHERE id = $1', [made.id]);
    await dieWhileHandling(msgId, null);
    await dispatch({ ...first, messageId: 'redelivered-1' });
    const afterTakeOver = (await reportsOfStore()).filter((report) => report.dish_name === '红烧肉');
    expect(afterTakeOver).toHaveLength(1);

    // Died after its report was committed, before it replied: the redelivery confirms that report, makes none.
    await dieWhileHandling(msgId, afterTakeOver[0].id);
    const repliesBefore = repliesIn('cidTakeOver==').length;
    await dispatch({ ...first, messageId: 'redelivered-2' });
    expect((await reportsOfStore()).filter((report) => report.dish_name === '红烧肉')).toHaveLength(1);
    expect(repliesIn('cidTakeOver==')).toHaveLength(repliesBefore + 1);
    const [row] = await receivedRows(msgId);
    expect(row).toMatchObject({ menu_report_id: afterTakeOver[0].id, outcome: 'report_created' });
    expect(row.handled_at).not.toBeNull();

    // A message handled moments ago is a plain duplicate, not a take-over.
    await dispatch({ ...first, messageId: 'redelivered-3' });
    expect(repliesIn('cidTakeOver==')).toHaveLength(repliesBefore + 1);
  });

  it('a 报菜 it cannot read is answered with the format, and nothing is stored', async () => {
    const before = (await reportsOfStore()).length;
    await dispatch(frame('报菜 宫保鸡丁', { conversationId: 'cidInvalid==' }));
    await dispatch(frame('报菜 宫保鸡丁 0 份', { conversationId: 'cidInvalid==' }));
    expect(await reportsOfStore()).toHaveLength(before);
    const texts = repliesIn('cidInvalid==').map((reply) => reply.text);
    expect(texts).toHaveLength(2);
    for (const text of texts) expect(text).toContain('格式：报菜 菜名 数量 单位，例如：报菜 宫保鸡丁 50 份');
    expect(texts[1]).toContain('数量要大于 0');
  });

  it('今日 / 今日报菜 list today’s reports of the store as markdown', async () => {
    await dispatch(frame('今日', { conversationId: 'cidToday==' }));
    await dispatch(frame('今日报菜', { conversationId: 'cidToday==' }));
    const replies = repliesIn('cidToday==');
    expect(replies).toHaveLength(2);
    const count = (await reportsOfStore()).length;
    for (const reply of replies) {
      expect(reply.msgtype).toBe('markdown');
      expect(reply.title).toBe(`今日报菜（${count} 条）`);
      expect(reply.text).toContain(`#### 今日报菜 · 门店 ${STORE}`);
      expect(reply.text).toMatch(/宫保鸡丁 \*\*50 份\*\* · 张三/);
      expect(reply.text).toMatch(/米饭 \*\*2\.5 斤\*\*（中午用） · 张三/);
      expect(reply.text).toContain(`> 共 ${count} 条`);
    }
  });

  it('绑定 in a group sets the bot’s open_conversation_id through the bot service, once', async () => {
    const updates: BotUpdatedEvent[] = [];
    t.app.get(EventEmitter2).on(AppEvent.BotUpdated, (event: BotUpdatedEvent) => updates.push(event));

    await dispatch(frame('绑定', { conversationId: 'cidSingle==', conversationType: '1' }));
    expect(repliesIn('cidSingle==')[0].text).toBe(
      '绑定要在群里进行：请把机器人加入门店群，在群里 @我 发送“绑定”。',
    );

    await dispatch(frame('@报菜助手 绑定', { conversationId: 'cidKitchen==' }));
    // The sender (manager1234) is bound to the store too: their one-to-one messages go there.
    expect(repliesIn('cidKitchen==')[0].text).toBe(
      `绑定成功：本群将收到门店 ${STORE} 的报菜通知。\n你单聊发给我的消息也将记到门店 ${STORE}。`,
    );
    const bot = await t.request('GET', `/api/v1/dingtalk-bots/${botId}`);
    expect(bot.body.data.open_conversation_id).toBe('cidKitchen==');
    expect(updates).toEqual([
      {
        before: expect.objectContaining({ id: botId }),
        after: expect.objectContaining({ id: botId }),
        changed: ['openConversationId'],
      },
    ]);

    await dispatch(frame('绑定', { conversationId: 'cidKitchen==' }));
    expect(repliesIn('cidKitchen==')[1].text).toBe(
      `本群已经绑定，无需重复绑定。\n你单聊发给我的消息也将记到门店 ${STORE}。`,
    );
    // Once the bot has its group, another group is no store's (the app's only bot takes every group only while it
    // has none): 绑定 there is answered with the notice, and the bot keeps its group.
    await dispatch(frame('绑定', { conversationId: 'cidOtherGroup==' }));
    expect(repliesIn('cidOtherGroup==')[0].text).toMatch(/^本群还没有关联门店/);
    expect((await t.request('GET', `/api/v1/dingtalk-bots/${botId}`)).body.data.open_conversation_id).toBe(
      'cidKitchen==',
    );
    expect(updates).toHaveLength(1);
  });

  it('anything else is answered with the list of commands', async () => {
    await dispatch(frame('你好', { conversationId: 'cidHelp==', conversationType: '1' }));
    const [reply] = repliesIn('cidHelp==');
    expect(reply.msgtype).toBe('text');
    expect(reply.text).toContain('报菜 菜名 数量 单位，例如：报菜 宫保鸡丁 50 份');
    expect(reply.text).toContain('今日');
    expect(reply.text).toContain('绑定');
  });

  describe('once the reply window has closed', () => {
    const replyVia = async (msgId: string) => (await receivedRows(msgId))[0].reply_via as string;
    const msgIdOf = (written: ReturnType<typeof frame>) => JSON.parse(written.data).msgId as string;

    it('answers into the group through the robot group API, whether the message says so or DingTalk answers 300001', async () => {
      sim.state.ensureConversation({
        id: 'cidLate==',
        type: 'group',
        clientId: app.clientId,
        title: '晚班群',
      });
      // The late group is the bot's: a group message reaches the bot whose group it is.
      const moved = await t.request('PUT', `/api/v1/dingtalk-bots/${botId}`, {
        body: { open_conversation_id: 'cidLate==' },
      });
      expect(moved.status).toBe(200);
      const saysExpired = frame('报菜 炒青菜 3 份', { conversationId: 'cidLate==' });
      const claimsOpen = frame('今日', {
        conversationId: 'cidLate==',
        sessionWebhookExpiredTime: clock.now() + 24 * 60 * 60 * 1000,
      });
      await clock.advance(SESSION_TTL_MS + 1);

      await dispatch(saysExpired);
      await dispatch(claimsOpen);

      expect(repliesIn('cidLate==')).toHaveLength(0);
      expect(sim.state.received({ channel: 'session', target: 'cidLate==', accepted: false })).toHaveLength(
        1,
      );
      const inGroup = sim.state.received({ channel: 'group', target: 'cidLate==', accepted: true });
      // The group is the bot's, so the report's own notification arrives there too; the replies are the rest.
      const replies = inGroup
        .map((message) => message.text?.split('\n')[0])
        .filter((line) => !line?.startsWith('#### 报菜通知'));
      expect(replies).toEqual(['已报菜：炒青菜 3 份', expect.stringMatching(/^#### 今日报菜 · 门店 7/)]);
      expect(await replyVia(msgIdOf(saysExpired))).toBe('group');
      expect(await replyVia(msgIdOf(claimsOpen))).toBe('group');
    });

    it('answers a one-to-one chat through a one-to-one robot message to the sender', async () => {
      // chef42 binds in the store's group first: a one-to-one message reaches the store its sender is bound to.
      const group = (await t.request('GET', `/api/v1/dingtalk-bots/${botId}`)).body.data.open_conversation_id;
      await dispatch(frame('绑定', { conversationId: group, senderStaffId: 'chef42' }));
      const written = helpInChat('cidChatLate==', 'chef42');
      await clock.advance(SESSION_TTL_MS + 1);
      await dispatch(written);
      const [direct] = sim.state.received({ channel: 'oto', target: 'chef42', accepted: true });
      expect(direct.text).toContain('可用命令');
      expect(await replyVia(msgIdOf(written))).toBe('oto');
    });

    describe('a one-to-one reply DingTalk does not deliver to everyone (docs/dingtalk/robot-messages.md)', () => {
      const otoTo = (userId: string) => sim.state.received({ channel: 'oto', target: userId });
      /** Handles the message while moving the clock on, past the waits before a throttled user's next try. */
      const handleLate = async (written: ReturnType<typeof frame>, whenFirstSent?: () => void) => {
        await clock.advance(SESSION_TTL_MS + 1);
        let done = false;
        const handling = dispatch(written).finally(() => (done = true));
        const userId = JSON.parse(written.data).senderStaffId as string;
        await waitFor(() => otoTo(userId).length > 0, 'the first one-to-one send');
        whenFirstSent?.();
        await waitFor(async () => {
          await clock.advance(1_000);
          return done;
        }, 'the reply to be handled');
        await handling;
      };
      const row = async (written: ReturnType<typeof frame>) => (await receivedRows(msgIdOf(written)))[0];

      it('sends again only to a throttled user, and records that it arrived', async () => {
        app.recipients.flowControlled = ['chef43'];
        const written = helpInChat('cidChat43==', 'chef43');
        await handleLate(written, () => (app.recipients.flowControlled = []));
        expect(otoTo('chef43').map((message) => message.droppedCode ?? 'delivered')).toEqual([
          'flowControlled',
          'delivered',
        ]);
        expect(await row(written)).toMatchObject({
          reply_via: 'oto',
          reply_error: null,
          reply_recipients: [{ userId: 'chef43', outcome: 'delivered', errcode: null }],
        });
      });

      it('gives up on a user who stays throttled after three tries, and records it', async () => {
        app.recipients.flowControlled = ['chef44'];
        const written = helpInChat('cidChat44==', 'chef44');
        await handleLate(written);
        app.recipients.flowControlled = [];
        expect(otoTo('chef44').map((message) => message.droppedCode)).toEqual([
          'flowControlled',
          'flowControlled',
          'flowControlled',
        ]);
        expect(await row(written)).toMatchObject({
          reply_via: 'oto',
          reply_error: 'Not delivered to chef44 (flowControlled)',
          reply_recipients: [{ userId: 'chef44', outcome: 'forbidden', errcode: 'flowControlled' }],
        });
      });

      it('records a user unknown to the organisation as invalid, without sending again', async () => {
        app.recipients.invalid = ['ghost45'];
        const written = helpInChat('cidChat45==', 'ghost45');
        await handleLate(written);
        app.recipients.invalid = [];
        expect(otoTo('ghost45').map((message) => message.droppedCode)).toEqual(['invalidStaffId']);
        expect(await row(written)).toMatchObject({
          reply_via: 'oto',
          reply_error: 'Not delivered to ghost45 (invalid)',
          reply_recipients: [{ userId: 'ghost45', outcome: 'invalid', errcode: null }],
        });
      });
    });
  });

  it('a malformed frame is logged and dropped, without a reply and without harm', async () => {
    const router = callbacks();
    const base = { appId, clientId: app.clientId, topic: TOPIC_BOT_MESSAGE, messageId: 'bad_1' };
    await router.handle({ ...base, data: '{not json' });
    await router.handle({ ...base, data: '[1,2]' });
    await router.handle({
      ...base,
      data: JSON.stringify({ msgtype: 'text', text: { content: '报菜 a 1 份' } }),
    });
    await router.handle({ ...frame('报菜 幽灵 1 份'), appId: 999_999 });
    expect(t.logs.find('Ignored a malformed bot message')).toHaveLength(3);
    expect(t.logs.find('Ignored a bot message to an app without an enabled bot')).toHaveLength(1);
    expect((await reportsOfStore()).some((report) => report.dish_name === '幽灵')).toBe(false);
    expect((await t.request('GET', '/health')).status).toBe(200);
  });

  it('never logs the app secret or a session key', () => {
    const logs = t.logs.text();
    expect(logs).toContain('Bot message handled');
    expect(logs).not.toContain(app.clientSecret);
    for (const session of sim.state.sessions.keys()) expect(logs).not.toContain(session);
  });
});
