import { DataSource } from 'typeorm';
import { beforeAll, describe, expect, it } from 'vitest';
import { SimApp } from '../../simulator/core/simulator-state';
import { Simulator } from '../../simulator/simulator';
import { DingTalkAppRepository } from '../../src/dingtalk-app/dingtalk-app.repository';
import { ManualClock } from '../support/clocks';
import { TestApp } from '../support/test-app';
import { givenDingTalkApp, givenStreamBot } from '../support/given';
import { useTestApp } from '../support/use-test-app';
import { waitFor, waitForValue } from '../support/wait-for';

const STORES = [1, 2, 3];
const groupOf = (store: number) => `cidStore${store}Kitchen==`;

/** The chain's app in DingTalk (the simulator), its robot in each store's kitchen group and in one group of no store. */
function chainInDingTalk(sim: Simulator): SimApp {
  const dingApp = sim.state.registerApp();
  for (const store of STORES) {
    sim.state.ensureConversation({
      id: groupOf(store),
      title: `${store}号店后厨`,
      clientId: dingApp.clientId,
      members: [`cook${store}`],
    });
  }
  sim.state.ensureConversation({ id: 'cidOffice==', title: '总部群', clientId: dingApp.clientId });
  return dingApp;
}

/** As a new user sets it up: an admin adds the app once; each store's admin adds the store's bot on it. */
async function chainInService(t: TestApp, dingApp: SimApp): Promise<{ appId: number; bots: number[] }> {
  const app = await givenDingTalkApp(t, dingApp);
  const bots: number[] = [];
  for (const store of STORES) {
    const bot = await t.request('POST', '/api/v1/dingtalk-bots', {
      token: t.token({ sub: `manager-${store}`, role: 'store_admin', store_ids: [store] }),
      body: {
        name: `${store}号店`,
        bot_type: 'stream',
        app_id: app.id,
        open_conversation_id: groupOf(store),
      },
    });
    expect(bot.status, bot.text).toBe(201);
    bots.push(bot.body.data.id);
  }
  return { appId: app.id, bots };
}

/**
 * One DingTalk app for the whole chain (issue 23), tried as a new user would: one app, three stores, three kitchen
 * groups, through the simulator over real sockets.
 */
describe('one DingTalk app for the whole chain', () => {
  const { t, sim, restart, database } = useTestApp({ simulator: true });
  let dingApp: SimApp;
  let chain: { appId: number; bots: number[] };

  beforeAll(async () => {
    dingApp = chainInDingTalk(sim);
    chain = await chainInService(t, dingApp);
  });

  const write = (text: string, from: { group?: string; staff: string }) =>
    sim.stream.sendBotMessage({
      clientId: dingApp.clientId,
      conversationType: from.group ? '2' : '1',
      conversationId: from.group,
      senderStaffId: from.staff,
      senderNick: from.staff,
      text,
    });
  const repliesTo = (written: { msgId: string }) =>
    sim.stream.botMessages({ clientId: dingApp.clientId }).find((m) => m.msgId === written.msgId)?.replies ??
    [];
  const answerTo = (written: ReturnType<typeof write>) =>
    waitForValue(() => repliesTo(written)[0], `the answer to ${written.msgId}`);
  const reportsOf = async (store: number) =>
    (await t.request('GET', `/api/v1/menu-reports?store_id=${store}&page_size=100`)).body.data
      .items as Array<{
      dish_name: string;
      source: string;
    }>;
  const groupMessages = (store: number) =>
    sim.state.received({ channel: 'group', target: groupOf(store), accepted: true }).map((m) => m.text ?? '');

  it('keeps one connection for the app, and the status shows it with the three stores’ bots', async () => {
    await waitFor(() => sim.stream.connections(dingApp.clientId).length === 1, 'the app connected');
    const status = await waitForValue(async () => {
      const answer = (await t.request('GET', '/api/v1/stream/status')).body.data;
      return answer.connected_count === 1 && answer;
    }, 'the app connected in the status');
    expect(status).toMatchObject({ app_count: 1, bot_count: 3, connected_count: 1 });
    expect(status.apps[0]).toMatchObject({ app_id: chain.appId, client_id: dingApp.clientId });
    expect(status.apps[0].bots.map((bot: { store_id: number }) => bot.store_id)).toEqual(STORES);
    expect(sim.stream.peakConnections(dingApp.clientId)).toBe(1);
  });

  it("sends each store's report to its own group only", async () => {
    for (const store of STORES) {
      const report = await t.request('POST', '/api/v1/menu-reports', {
        body: { store_id: store, dish_name: `${store}号店的菜`, quantity: 1, unit: '份' },
      });
      expect(report.status).toBe(201);
    }
    for (const store of STORES) {
      await waitFor(() => groupMessages(store).length === 1, `store ${store}'s group to get its report`);
      expect(groupMessages(store)[0]).toContain(`${store}号店的菜`);
    }
    expect(sim.state.received({ channel: 'group', target: 'cidOffice==' })).toEqual([]);
  });

  it("makes 报菜 typed in store 2's group a report of store 2, answered there", async () => {
    const written = write('报菜 红烧肉 6 份', { group: groupOf(2), staff: 'cook2' });
    expect((await answerTo(written)).text).toMatch(/^已报菜：红烧肉 6 份\n门店 2 /);
    expect((await reportsOf(2)).filter((r) => r.dish_name === '红烧肉')).toEqual([
      expect.objectContaining({ source: 'dingtalk' }),
    ]);
    for (const store of [1, 3])
      expect((await reportsOf(store)).map((r) => r.dish_name)).not.toContain('红烧肉');
    // Its notification goes to store 2's group, as any report of store 2.
    await waitFor(() => groupMessages(2).some((text) => text.includes('红烧肉')), "store 2's group notified");
    for (const store of [1, 3])
      expect(groupMessages(store).some((text) => text.includes('红烧肉'))).toBe(false);
  });

  it('tells a group no store is linked to, once a day, and stores nothing from it', async () => {
    const first = write('报菜 土豆 3 斤', { group: 'cidOffice==', staff: 'boss' });
    // It names the group's id, for an admin to give the store's bot.
    expect((await answerTo(first)).text).toMatch(/^本群还没有关联门店.*\ncidOffice==\n/s);
    const second = write('报菜 土豆 4 斤', { group: 'cidOffice==', staff: 'boss' });
    const handled = await waitForValue(async () => {
      const rows = await t.app
        .get(DataSource)
        .query<Array<{ outcome: string | null }>>(
          `SELECT outcome FROM received_bot_messages WHERE msg_id = $1`,
          [second.msgId],
        );
      return rows[0]?.outcome ?? undefined;
    }, 'the second message handled');
    expect(handled).toBe('group_not_linked_quiet');
    expect(repliesTo(second)).toEqual([]);
    for (const store of STORES)
      expect((await reportsOf(store)).map((r) => r.dish_name)).not.toContain('土豆');
  });

  it('asks a sender to bind in a one-to-one chat, and after 绑定 in their group takes their reports there', async () => {
    const unbound = write('报菜 鱼香肉丝 2 份', { staff: 'cook3' });
    expect((await answerTo(unbound)).text).toMatch(/^还不知道你是哪个门店的/);
    const bind = write('绑定', { group: groupOf(3), staff: 'cook3' });
    expect((await answerTo(bind)).text).toContain('你单聊发给我的消息也将记到门店 3。');
    const bound = write('报菜 鱼香肉丝 2 份', { staff: 'cook3' });
    expect((await answerTo(bound)).text).toMatch(/^已报菜：鱼香肉丝 2 份\n门店 3 /);
    expect((await reportsOf(3)).filter((r) => r.dish_name === '鱼香肉丝')).toHaveLength(1);
  });

  it('handles a redelivered message once', async () => {
    const written = write('报菜 回锅肉 1 份', { group: groupOf(1), staff: 'cook1' });
    await answerTo(written);
    sim.stream.redeliver(written.messageId);
    await waitFor(() => sim.stream.acksOf(written.messageId).length === 2, 'the redelivery ACKed');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await reportsOf(1)).filter((r) => r.dish_name === '回锅肉')).toHaveLength(1);
    expect(repliesTo(written)).toHaveLength(1);
  });

  it('is the same across a restart: one connection, three bots, each group its store', async () => {
    await restart();
    await waitFor(() => sim.stream.connections(dingApp.clientId).length === 1, 'the app connected again');
    const status = await waitForValue(async () => {
      const answer = (await t.request('GET', '/api/v1/stream/status')).body.data;
      return answer.connected_count === 1 && answer;
    }, 'the app connected in the status');
    expect(status).toMatchObject({ app_count: 1, bot_count: 3 });
    const written = write('报菜 炒青菜 9 份', { group: groupOf(1), staff: 'cook1' });
    expect((await answerTo(written)).text).toMatch(/^已报菜：炒青菜 9 份\n门店 1 /);
    expect(database.connection.url).toBeTruthy();
  });
});

/** Three instances on one PostgreSQL: the whole cluster keeps one connection for the app. */
describe('one DingTalk app for the whole chain, three instances', () => {
  const clock = new ManualClock();
  const { sim, apps } = useTestApp({
    simulator: true,
    clock,
    instances: ['instance-a', 'instance-b', 'instance-c'],
  });

  async function advance(ms: number) {
    for (let moved = 0; moved < ms; moved += 5_000) {
      await clock.advance(5_000);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('connects the app from one instance only, every instance answers the same, and another takes over', async () => {
    const dingApp = chainInDingTalk(sim);
    const chain = await chainInService(apps[1], dingApp);
    // The instances that did not see the creates find the app at their next lease round, and must leave it alone.
    await advance(30_000);
    await waitFor(() => sim.stream.connections(dingApp.clientId).length === 1, 'one connection');
    expect(sim.stream.peakConnections(dingApp.clientId)).toBe(1);
    const views: Array<{ apps: Array<{ instance_id: string }>; instances: unknown[] }> = [];
    for (const instance of apps)
      views.push((await instance.request('GET', '/api/v1/stream/status')).body.data);
    for (const view of views) {
      expect(view).toMatchObject({ app_count: 1, bot_count: 3, connected_count: 1 });
      expect(view.apps[0].instance_id).toBe(views[0].apps[0].instance_id);
      expect(view.instances).toHaveLength(3);
    }
    const holder = apps.findIndex((instance) => instance.config.instanceId === views[0].apps[0].instance_id);
    expect(holder).toBeGreaterThanOrEqual(0);

    const written = sim.stream.sendBotMessage({
      clientId: dingApp.clientId,
      conversationType: '2',
      conversationId: groupOf(2),
      senderStaffId: 'cook2',
      text: '报菜 宫保鸡丁 5 份',
    });
    await waitFor(
      () => sim.state.received({ channel: 'session', target: written.conversationId }).length === 1,
      'the answer',
    );
    const reports = (await apps[0].request('GET', '/api/v1/menu-reports?store_id=2')).body.data.items;
    expect(reports.map((r: { dish_name: string }) => r.dish_name)).toEqual(['宫保鸡丁']);

    await apps[holder].close();
    await advance(45_000);
    await waitFor(() => sim.stream.connections(dingApp.clientId).length === 1, 'taken over');
    const remaining = apps.filter((_, index) => index !== holder);
    const view = (await remaining[0].request('GET', '/api/v1/stream/status')).body.data;
    expect(view).toMatchObject({ app_count: 1, bot_count: 3 });
    expect(view.apps[0].instance_id).not.toBe(views[0].apps[0].instance_id);
    expect(sim.stream.connections(dingApp.clientId)).toHaveLength(1);
    expect(chain.bots).toHaveLength(3);
  });
});

/**
 * A group is one store's (the hostile review of issue 23): store 9's admin cannot take store 2's group by naming it
 * on a bot of the chain's app, neither through the API nor with 绑定.
 */
describe('one group, one store', () => {
  const { t, sim } = useTestApp({ simulator: true });
  const store9 = () => t.token({ sub: 'manager-9', role: 'store_admin', store_ids: [9] });

  it("refuses a bot of the app on another store's group, without naming the store, and keeps 报菜 there store 2's", async () => {
    const dingApp = chainInDingTalk(sim);
    const chain = await chainInService(t, dingApp);
    const taken = await t.request('POST', '/api/v1/dingtalk-bots', {
      token: store9(),
      body: { name: '9号店', bot_type: 'stream', app_id: chain.appId, open_conversation_id: groupOf(2) },
    });
    expect(taken.status, taken.text).toBe(409);
    expect(taken.text).toContain('This group is already linked to another bot of this app');
    expect(taken.text).not.toMatch(/store 2|门店 2/);

    const own = await t.request('POST', '/api/v1/dingtalk-bots', {
      token: store9(),
      body: { name: '9号店', bot_type: 'stream', app_id: chain.appId },
    });
    expect(own.status, own.text).toBe(201);
    const moved = await t.request('PUT', `/api/v1/dingtalk-bots/${own.body.data.id}`, {
      token: store9(),
      body: { open_conversation_id: groupOf(2) },
    });
    expect(moved.status, moved.text).toBe(409);
    expect(moved.text).toContain('This group is already linked to another bot of this app');

    await waitFor(() => sim.stream.connections(dingApp.clientId).length === 1, 'the app connected');
    const written = sim.stream.sendBotMessage({
      clientId: dingApp.clientId,
      conversationType: '2',
      conversationId: groupOf(2),
      senderStaffId: 'cook2',
      text: '报菜 红烧肉 6 份',
    });
    const answer = await waitForValue(
      () =>
        sim.stream.botMessages({ clientId: dingApp.clientId }).find((m) => m.msgId === written.msgId)
          ?.replies[0],
      'the answer',
    );
    expect(answer.text).toMatch(/^已报菜：红烧肉 6 份\n门店 2 /);
  });

  it("does not move a group another store's (disabled) bot holds with 绑定, nor its sender", async () => {
    const dingApp = chainInDingTalk(sim);
    const app = await t.request('POST', '/api/v1/dingtalk-apps', {
      body: {
        name: '连锁',
        client_id: dingApp.clientId,
        client_secret: dingApp.clientSecret,
        agent_id: dingApp.agentId,
      },
    });
    expect(app.status, app.text).toBe(201);
    // Store 2's bot holds its group but is disabled; store 9's is the app's only enabled bot, without a group.
    const holder = await t.request('POST', '/api/v1/dingtalk-bots', {
      body: {
        name: '2号店',
        store_id: 2,
        bot_type: 'stream',
        app_id: app.body.data.id,
        open_conversation_id: groupOf(2),
        is_enabled: false,
      },
    });
    expect(holder.status, holder.text).toBe(201);
    const taker = await t.request('POST', '/api/v1/dingtalk-bots', {
      token: store9(),
      body: { name: '9号店', bot_type: 'stream', app_id: app.body.data.id },
    });
    expect(taker.status, taker.text).toBe(201);
    await waitFor(() => sim.stream.connections(dingApp.clientId).length === 1, 'the app connected');
    const bind = sim.stream.sendBotMessage({
      clientId: dingApp.clientId,
      conversationType: '2',
      conversationId: groupOf(2),
      senderStaffId: 'cook2',
      text: '绑定',
    });
    const answer = await waitForValue(
      () =>
        sim.stream.botMessages({ clientId: dingApp.clientId }).find((m) => m.msgId === bind.msgId)
          ?.replies[0],
      'the answer to 绑定',
    );
    // The group is store 2's still: its bot is switched off, and that is what it is told.
    expect(answer.text).toMatch(/^本群关联的门店机器人已停用/);
    const bots = await t.app
      .get(DataSource)
      .query<Array<{ id: number; open_conversation_id: string | null }>>(
        `SELECT id, open_conversation_id FROM ding_talk_bots WHERE id = ANY($1::int[]) ORDER BY id`,
        [[holder.body.data.id, taker.body.data.id]],
      );
    expect(bots.map((bot) => bot.open_conversation_id)).toEqual([groupOf(2), null]);
    const senders = await t.app
      .get(DataSource)
      .query(`SELECT store_id FROM dingtalk_sender_bindings WHERE staff_id = 'cook2'`);
    expect(senders).toEqual([]);
  });

  it("does not hand a (disabled) bot's group, nor a sender bound to its store, to another store's groupless bot", async () => {
    const dingApp = chainInDingTalk(sim);
    const app = await givenDingTalkApp(t, dingApp);
    // Store 2's bot holds its group but is switched off; store 9's is the app's only enabled bot, without a group.
    const holder = await t.request('POST', '/api/v1/dingtalk-bots', {
      body: {
        name: '2号店',
        store_id: 2,
        bot_type: 'stream',
        app_id: app.id,
        open_conversation_id: groupOf(2),
        is_enabled: false,
      },
    });
    expect(holder.status, holder.text).toBe(201);
    const taker = await t.request('POST', '/api/v1/dingtalk-bots', {
      token: store9(),
      body: { name: '9号店', bot_type: 'stream', app_id: app.id },
    });
    expect(taker.status, taker.text).toBe(201);
    // cook2 bound themselves to store 2 while its bot was on.
    await t.app
      .get(DataSource)
      .query(
        `INSERT INTO dingtalk_sender_bindings (app_id, staff_id, store_id, bound_at) VALUES ($1, 'cook2', 2, now())`,
        [app.id],
      );
    await waitFor(() => sim.stream.connections(dingApp.clientId).length === 1, 'the app connected');
    const answerTo = (text: string, group?: string) => {
      const written = sim.stream.sendBotMessage({
        clientId: dingApp.clientId,
        conversationType: group ? '2' : '1',
        conversationId: group,
        senderStaffId: 'cook2',
        text,
      });
      return waitForValue(
        () =>
          sim.stream.botMessages({ clientId: dingApp.clientId }).find((m) => m.msgId === written.msgId)
            ?.replies[0],
        `the answer to ${text}`,
      );
    };
    expect((await answerTo('报菜 红烧肉 6 份', groupOf(2))).text).toMatch(/^本群关联的门店机器人已停用/);
    expect((await answerTo('报菜 红烧肉 7 份')).text).toMatch(/^还不知道你是哪个门店的/);
    // Nor any other group: the app has served two stores, so store 9's bot without a group takes no group's messages.
    expect((await answerTo('报菜 红烧肉 8 份', groupOf(3))).text).toMatch(/^本群还没有关联门店/);
    const reports = (await t.request('GET', '/api/v1/menu-reports?store_id=9')).body.data.items;
    expect(reports).toEqual([]);
  });
});

/** An app's only enabled bot with a group of its own takes that group's messages, not every group's (the review). */
describe('the only bot of an app, with its own group', () => {
  const { t, sim } = useTestApp({ simulator: true });

  it("answers another group as unlinked and asks an unbound sender to bind, storing nothing for the bot's store", async () => {
    const dingApp = chainInDingTalk(sim);
    const app = await t.request('POST', '/api/v1/dingtalk-apps', {
      body: {
        name: '连锁',
        client_id: dingApp.clientId,
        client_secret: dingApp.clientSecret,
        agent_id: dingApp.agentId,
      },
    });
    expect(app.status, app.text).toBe(201);
    const bot = await t.request('POST', '/api/v1/dingtalk-bots', {
      body: {
        name: '1号店',
        store_id: 1,
        bot_type: 'stream',
        app_id: app.body.data.id,
        open_conversation_id: groupOf(1),
      },
    });
    expect(bot.status, bot.text).toBe(201);
    await waitFor(() => sim.stream.connections(dingApp.clientId).length === 1, 'the app connected');
    const answerTo = (text: string, group?: string) => {
      const written = sim.stream.sendBotMessage({
        clientId: dingApp.clientId,
        conversationType: group ? '2' : '1',
        conversationId: group,
        senderStaffId: 'cook2',
        text,
      });
      return waitForValue(
        () =>
          sim.stream.botMessages({ clientId: dingApp.clientId }).find((m) => m.msgId === written.msgId)
            ?.replies[0],
        `the answer to ${text}`,
      );
    };
    expect((await answerTo('报菜 红烧肉 6 份', groupOf(2))).text).toMatch(/^本群还没有关联门店/);
    expect((await answerTo('报菜 红烧肉 7 份')).text).toMatch(/^还不知道你是哪个门店的/);
    expect((await answerTo('报菜 红烧肉 8 份', groupOf(1))).text).toMatch(/^已报菜：红烧肉 8 份\n门店 1 /);
    const reports = (await t.request('GET', '/api/v1/menu-reports?store_id=1')).body.data.items;
    expect(reports.map((r: { quantity: number }) => r.quantity)).toEqual([8]);
  });
});

/**
 * An upgraded single-store app (its one bot has no group, so it takes every group's messages) when a second store's
 * bot joins it: the first bot takes no group's messages from then on, so the change says so, and the group's
 * "not linked" answer names its id for the admin to give the first bot.
 */
describe("an upgraded single-store app that a second store's bot joins", () => {
  const { t, sim } = useTestApp({ simulator: true });

  it('warns whoever adds the second bot, names the group in its answer, and is quiet once the first bot has it', async () => {
    const dingApp = chainInDingTalk(sim);
    const app = await givenDingTalkApp(t, dingApp);
    const legacy = await t.request('POST', '/api/v1/dingtalk-bots', {
      body: { name: '1号店', store_id: 1, bot_type: 'stream', app_id: app.id },
    });
    expect(legacy.status, legacy.text).toBe(201);
    expect(legacy.body.data.warnings).toEqual([]);
    await waitFor(() => sim.stream.connections(dingApp.clientId).length === 1, 'the app connected');
    const answerTo = (text: string, group: string) => {
      const written = sim.stream.sendBotMessage({
        clientId: dingApp.clientId,
        conversationType: '2',
        conversationId: group,
        senderStaffId: 'cook1',
        text,
      });
      return waitForValue(
        () =>
          sim.stream.botMessages({ clientId: dingApp.clientId }).find((m) => m.msgId === written.msgId)
            ?.replies[0],
        `the answer to ${text}`,
      );
    };
    expect((await answerTo('报菜 红烧肉 1 份', groupOf(1))).text).toMatch(/^已报菜：红烧肉 1 份\n门店 1 /);

    // Store 2's admin adds its bot on the app: told that a bot of another store loses the groups, not which one.
    const storeTwo = t.token({ sub: 'manager-2', role: 'store_admin', store_ids: [2] });
    const second = await t.request('POST', '/api/v1/dingtalk-bots', {
      token: storeTwo,
      body: { name: '2号店', bot_type: 'stream', app_id: app.id, open_conversation_id: groupOf(2) },
    });
    expect(second.status, second.text).toBe(201);
    expect(second.body.data.warnings).toEqual([
      expect.stringMatching(
        new RegExp(
          `^A bot of another store on app ${app.id} has no open_conversation_id: .*only enabled bot`,
        ),
      ),
    ]);
    expect(second.body.data.warnings[0]).not.toContain(`Bot ${legacy.body.data.id}`);
    // An admin changing it is told which bot, and where to fix it.
    const renamed = await t.request('PUT', `/api/v1/dingtalk-bots/${second.body.data.id}`, {
      body: { name: '2号店后厨' },
    });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body.data.warnings).toEqual([
      expect.stringContaining(
        `Bot ${legacy.body.data.id} (store 1) on app ${app.id} has no open_conversation_id`,
      ),
    ]);
    expect(renamed.body.data.warnings[0]).toContain(`PUT /api/v1/dingtalk-bots/${legacy.body.data.id}`);
    // A disabled bot takes nothing from the first one: nothing to warn of.
    const disabled = await t.request('POST', '/api/v1/dingtalk-bots', {
      body: { name: '3号店', store_id: 3, bot_type: 'stream', app_id: app.id, is_enabled: false },
    });
    expect(disabled.status, disabled.text).toBe(201);
    expect(disabled.body.data.warnings).toEqual([]);

    // Store 1's group is not linked now: its answer names the group's id, on a line of its own.
    const unlinked = await answerTo('报菜 红烧肉 2 份', groupOf(1));
    expect(unlinked.text).toMatch(/^本群还没有关联门店/);
    expect(unlinked.text?.split('\n')).toContain(groupOf(1));

    // The admin gives the first bot that id: no more warning, and the group is store 1's again.
    const linked = await t.request('PUT', `/api/v1/dingtalk-bots/${legacy.body.data.id}`, {
      body: { open_conversation_id: groupOf(1) },
    });
    expect(linked.status, linked.text).toBe(200);
    expect(linked.body.data.warnings).toEqual([]);
    expect((await answerTo('报菜 红烧肉 3 份', groupOf(1))).text).toMatch(/^已报菜：红烧肉 3 份\n门店 1 /);
  });

  it('warns whoever adds a bot without a group to an app that has another enabled bot, of that bot itself', async () => {
    const dingApp = chainInDingTalk(sim);
    const app = await givenDingTalkApp(t, dingApp);
    const first = await t.request('POST', '/api/v1/dingtalk-bots', {
      body: {
        name: '1号店',
        store_id: 1,
        bot_type: 'stream',
        app_id: app.id,
        open_conversation_id: groupOf(1),
      },
    });
    expect(first.status, first.text).toBe(201);
    expect(first.body.data.warnings).toEqual([]);

    // Store 2's admin adds its bot without a group: it takes no group's messages, and is told so of itself only.
    const storeTwo = t.token({ sub: 'manager-2', role: 'store_admin', store_ids: [2] });
    const groupless = await t.request('POST', '/api/v1/dingtalk-bots', {
      token: storeTwo,
      body: { name: '2号店', bot_type: 'stream', app_id: app.id },
    });
    expect(groupless.status, groupless.text).toBe(201);
    const id = groupless.body.data.id;
    expect(groupless.body.data.warnings).toEqual([
      expect.stringMatching(
        new RegExp(`^This bot has no open_conversation_id and app ${app.id} has other enabled`),
      ),
    ]);
    expect(groupless.body.data.warnings[0]).toContain(`PUT /api/v1/dingtalk-bots/${id}`);
    expect(groupless.body.data.warnings[0]).not.toContain(`${first.body.data.id}`);
    // Changed without a group, still told; switched off, or given its group, all is well.
    const renamed = await t.request('PUT', `/api/v1/dingtalk-bots/${id}`, {
      token: storeTwo,
      body: { name: '2号店后厨' },
    });
    expect(renamed.body.data.warnings).toEqual([
      expect.stringMatching(/^This bot has no open_conversation_id/),
    ]);
    const off = await t.request('PUT', `/api/v1/dingtalk-bots/${id}`, {
      token: storeTwo,
      body: { is_enabled: false },
    });
    expect(off.body.data.warnings).toEqual([]);
    const linked = await t.request('PUT', `/api/v1/dingtalk-bots/${id}`, {
      token: storeTwo,
      body: { is_enabled: true, open_conversation_id: groupOf(2) },
    });
    expect(linked.status, linked.text).toBe(200);
    expect(linked.body.data.warnings).toEqual([]);
  });
});

/** The first answer of the app's robot to `text` written by `staff` in `group` (one-to-one without a group). */
function answerOf(sim: Simulator, dingApp: SimApp, text: string, from: { staff: string; group?: string }) {
  const written = sim.stream.sendBotMessage({
    clientId: dingApp.clientId,
    conversationType: from.group ? '2' : '1',
    conversationId: from.group,
    senderStaffId: from.staff,
    senderNick: from.staff,
    text,
  });
  return waitForValue(
    () =>
      sim.stream.botMessages({ clientId: dingApp.clientId }).find((m) => m.msgId === written.msgId)
        ?.replies[0],
    `the answer to ${text}`,
  );
}

/**
 * An app once shared by two stores stays shared (the hostile review of issue 23): when the other stores' bots are
 * deleted, the one bot left without a group does not take their groups again, since their robots are still there.
 */
describe('a shared app whose other stores’ bots are deleted', () => {
  const { t, sim } = useTestApp({ simulator: true });
  const dishesOf = async (store: number) =>
    (
      (await t.request('GET', `/api/v1/menu-reports?store_id=${store}&page_size=100`)).body.data
        .items as Array<{
        dish_name: string;
      }>
    ).map((r) => r.dish_name);

  it("answers store 2's group as not linked and reports nothing of store 1 once store 2's bot is deleted", async () => {
    const dingApp = chainInDingTalk(sim);
    const app = await givenDingTalkApp(t, dingApp);
    // Store 1's bot without a group (an upgraded single-store app), then store 2's bot given the app inline.
    const legacy = await t.request('POST', '/api/v1/dingtalk-bots', {
      body: { name: '1号店', store_id: 1, bot_type: 'stream', app_id: app.id },
    });
    expect(legacy.status, legacy.text).toBe(201);
    const storeTwo = await givenStreamBot(t, dingApp, {
      name: '2号店',
      store_id: 2,
      open_conversation_id: groupOf(2),
    });
    expect(storeTwo.app_id).toBe(app.id);
    await waitFor(() => sim.stream.connections(dingApp.clientId).length === 1, 'the app connected');
    expect(
      (await answerOf(sim, dingApp, '报菜 红烧肉 1 份', { group: groupOf(2), staff: 'cook2' })).text,
    ).toMatch(/^已报菜：红烧肉 1 份\n门店 2 /);

    const deleted = await t.request('DELETE', `/api/v1/dingtalk-bots/${storeTwo.id}`);
    expect(deleted.status, deleted.text).toBe(200);
    // Store 1's bot is the app's only bot now, without a group: store 2's group is still not its store's.
    const unlinked = await answerOf(sim, dingApp, '报菜 红烧肉 2 份', { group: groupOf(2), staff: 'cook2' });
    expect(unlinked.text).toMatch(/^本群还没有关联门店/);
    expect(unlinked.text?.split('\n')).toContain(groupOf(2));
    expect((await answerOf(sim, dingApp, '报菜 红烧肉 3 份', { staff: 'cook2' })).text).toMatch(
      /^还不知道你是哪个门店的/,
    );
    expect(await dishesOf(1)).toEqual([]);
    expect(await dishesOf(2)).toEqual(['红烧肉']);
    // Whoever changes store 1's bot is told why it takes no group's messages.
    const renamed = await t.request('PUT', `/api/v1/dingtalk-bots/${legacy.body.data.id}`, {
      body: { name: '1号店后厨' },
    });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body.data.warnings).toEqual([
      expect.stringMatching(
        new RegExp(`^This bot has no open_conversation_id and app ${app.id} has served bots of other stores`),
      ),
    ]);
  });

  it('counts a switched-off bot moved onto the app from another app, and warns of the bot that loses the groups', async () => {
    const dingApp = chainInDingTalk(sim);
    const app = await givenDingTalkApp(t, dingApp);
    const elsewhere = await givenDingTalkApp(t, sim.state.registerApp());
    const legacy = await t.request('POST', '/api/v1/dingtalk-bots', {
      body: { name: '1号店', store_id: 1, bot_type: 'stream', app_id: app.id },
    });
    expect(legacy.status, legacy.text).toBe(201);
    const storeFive = await t.request('POST', '/api/v1/dingtalk-bots', {
      body: { name: '5号店', store_id: 5, bot_type: 'stream', app_id: elsewhere.id, is_enabled: false },
    });
    expect(storeFive.status, storeFive.text).toBe(201);
    const moved = await t.request('PUT', `/api/v1/dingtalk-bots/${storeFive.body.data.id}`, {
      body: { app_id: app.id, open_conversation_id: groupOf(3) },
    });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body.data.warnings).toEqual([
      expect.stringContaining(
        `Bot ${legacy.body.data.id} (store 1) on app ${app.id} has no open_conversation_id`,
      ),
    ]);
    expect((await t.request('DELETE', `/api/v1/dingtalk-bots/${storeFive.body.data.id}`)).status).toBe(200);

    await waitFor(() => sim.stream.connections(dingApp.clientId).length === 1, 'the app connected');
    expect(
      (await answerOf(sim, dingApp, '报菜 鱼香肉丝 1 份', { group: groupOf(3), staff: 'cook3' })).text,
    ).toMatch(/^本群还没有关联门店/);
    expect(await dishesOf(1)).not.toContain('鱼香肉丝');
  });
});

/** The catch-all of an upgraded single-store app stays while only one store's bots have been on the app. */
describe('an app only one store has used', () => {
  const { t, sim } = useTestApp({ simulator: true });

  it('lets its only bot without a group take every group and every unbound sender, also after a second bot of its store came and went', async () => {
    const dingApp = chainInDingTalk(sim);
    const app = await givenDingTalkApp(t, dingApp);
    const legacy = await t.request('POST', '/api/v1/dingtalk-bots', {
      body: { name: '1号店', store_id: 1, bot_type: 'stream', app_id: app.id },
    });
    expect(legacy.status, legacy.text).toBe(201);
    const second = await givenStreamBot(t, dingApp, {
      name: '1号店前厅',
      store_id: 1,
      open_conversation_id: groupOf(2),
    });
    expect(second.warnings).toEqual([
      expect.stringContaining(
        `Bot ${legacy.body.data.id} (store 1) on app ${app.id} has no open_conversation_id`,
      ),
    ]);
    expect((await t.request('DELETE', `/api/v1/dingtalk-bots/${second.id}`)).status).toBe(200);

    await waitFor(() => sim.stream.connections(dingApp.clientId).length === 1, 'the app connected');
    expect(
      (await answerOf(sim, dingApp, '报菜 红烧肉 4 份', { group: groupOf(3), staff: 'cook3' })).text,
    ).toMatch(/^已报菜：红烧肉 4 份\n门店 1 /);
    expect((await answerOf(sim, dingApp, '报菜 红烧肉 5 份', { staff: 'cook9' })).text).toMatch(
      /^已报菜：红烧肉 5 份\n门店 1 /,
    );
    const renamed = await t.request('PUT', `/api/v1/dingtalk-bots/${legacy.body.data.id}`, {
      body: { name: '1号店后厨' },
    });
    expect(renamed.body.data.warnings).toEqual([]);
  });
});

/**
 * Two stores' bots attached to a new app at once: whichever commits second still finds the app's first store and
 * marks the app shared (one UPDATE on the app's row, which the second waits for).
 */
describe('bots of two stores attached to an app at once', () => {
  const { t, sim } = useTestApp({ simulator: true });

  it('marks the app shared though neither transaction sees the other’s bot', async () => {
    const dingApp = chainInDingTalk(sim);
    const app = await givenDingTalkApp(t, dingApp);
    const dataSource = t.app.get(DataSource);
    // Store 1's bot is being attached in a transaction that has not committed yet.
    const first = dataSource.createQueryRunner();
    await first.connect();
    try {
      await first.startTransaction();
      await first.query(
        `INSERT INTO ding_talk_bots (name, store_id, bot_type, app_id) VALUES ('1号店', 1, 'stream', $1)`,
        [app.id],
      );
      expect(await t.app.get(DingTalkAppRepository).markAttached(first.manager, app.id, 1)).toBe(false);
      // Store 2's bot meanwhile, through the API: it cannot see store 1's bot.
      const second = t.request('POST', '/api/v1/dingtalk-bots', {
        body: {
          name: '2号店',
          store_id: 2,
          bot_type: 'stream',
          app_id: app.id,
          open_conversation_id: groupOf(2),
        },
      });
      let answered = false;
      void second.then(() => (answered = true));
      await waitFor(
        async () =>
          answered ||
          (
            await dataSource.query<unknown[]>(
              `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
                 AND query LIKE 'UPDATE dingtalk_apps%'`,
            )
          ).length > 0,
        "store 2's attach waiting for store 1's, or done",
      );
      await first.commitTransaction();
      expect((await second).status).toBe(201);
    } finally {
      if (first.isTransactionActive) await first.rollbackTransaction();
      await first.release();
    }
    const [row] = await dataSource.query<Array<{ first_store_id: number; shared: boolean }>>(
      `SELECT first_store_id, shared_since IS NOT NULL AS shared FROM dingtalk_apps WHERE id = $1`,
      [app.id],
    );
    expect(row).toEqual({ first_store_id: 1, shared: true });
  });
});
