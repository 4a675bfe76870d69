import { beforeAll, describe, expect, it } from 'vitest';
import { SimApp } from '../../simulator/core/simulator-state';
import { ManualClock } from '../support/clocks';
import { waitFor, waitForValue } from '../support/wait-for';
import { givenStreamBot } from '../support/given';
import { useTestApp } from '../support/use-test-app';

interface Written {
  msg_id: string;
  message_id: string;
  conversation_id: string;
  delivered: boolean;
}

/**
 * Receiving end to end: a staff member writes at the simulator, its Stream gateway pushes the message over the
 * service's own connection, the reply comes back through the session webhook and the report is in the database.
 */
describe('staff write to a stream bot at the simulator (end to end)', () => {
  const clock = new ManualClock(Date.now());
  const { sim, t, restart } = useTestApp({ simulator: { stream: { redeliveryDelayMs: null } }, clock });
  let app: SimApp;
  let botId: number;
  const STORE = 3;

  const connected = () =>
    waitFor(() => sim.stream.connections(app.clientId).length === 1, 'the bot connected to the gateway');

  beforeAll(async () => {
    app = sim.state.registerApp();
    botId = (await givenStreamBot(t, app, { name: '三号店机器人', store_id: STORE })).id;
    await connected();
  });

  /** What a staff member types into the simulator's chat box (its control API). */
  const write = async (
    text: string,
    where: { group?: string; staff?: string; nick?: string } = {},
  ): Promise<Written> => {
    const response = await fetch(`${sim.url}/_sim/stream/bot-messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_id: app.clientId,
        text,
        conversation_type: where.group ? '2' : '1',
        conversation_title: where.group,
        sender_staff_id: where.staff ?? 'cook01',
        sender_nick: where.nick ?? '李四',
      }),
    });
    expect(response.status).toBe(201);
    const written = (await response.json()) as Written;
    expect(written.delivered).toBe(true);
    return written;
  };

  const replies = (conversationId: string) =>
    sim.state.received({ channel: 'session', target: conversationId, accepted: true });

  /** The bot's answers in a conversation, once there are `count` of them. */
  const repliesOnce = (conversationId: string, count: number) =>
    waitForValue(
      () => replies(conversationId).length >= count && replies(conversationId),
      `${count} replies in ${conversationId}`,
    );

  const reports = async () => {
    const response = await t.request('GET', `/api/v1/menu-reports?store_id=${STORE}&page_size=100`);
    expect(response.status).toBe(200);
    return response.body.data.items as Array<Record<string, unknown>>;
  };

  it('报菜 in a group: the confirmation appears in the group and the report is stored', async () => {
    const written = await write('报菜 宫保鸡丁 50 份', { group: '三号店厨房' });
    const [reply] = await repliesOnce(written.conversation_id, 1);
    const [report] = await reports();
    expect(report).toMatchObject({
      store_id: STORE,
      dish_name: '宫保鸡丁',
      quantity: 50,
      unit: '份',
      reported_by: '李四',
      source: 'dingtalk',
    });
    expect(reply.text).toBe(
      `已报菜：宫保鸡丁 50 份\n门店 ${STORE} · 报菜编号 #${report.id as number} · 报菜人 李四`,
    );
    expect(sim.stream.acksOf(written.message_id)).toHaveLength(1);
  });

  it('50份 and 2.5 斤 in a one-to-one chat', async () => {
    const first = await write('报菜 宫保鸡丁 50份', { staff: 'cook02' });
    await repliesOnce(first.conversation_id, 1);
    const second = await write('报菜 米饭 2.5 斤', { staff: 'cook02' });
    expect(second.conversation_id).toBe(first.conversation_id);
    const answered = await repliesOnce(first.conversation_id, 2);
    expect(answered.map((reply) => reply.text?.split('\n')[0])).toEqual([
      '已报菜：宫保鸡丁 50 份',
      '已报菜：米饭 2.5 斤',
    ]);
    const [rice] = await reports();
    expect(rice).toMatchObject({ dish_name: '米饭', quantity: 2.5, unit: '斤', source: 'dingtalk' });
  });

  it('今日 lists today’s reports of the store', async () => {
    const written = await write('今日', { group: '三号店厨房' });
    const answered = await repliesOnce(written.conversation_id, 2);
    const today = answered[1];
    expect(today.msgtype).toBe('markdown');
    expect(today.title).toBe('今日报菜（3 条）');
    expect(today.text).toContain('宫保鸡丁 **50 份** · 李四');
    expect(today.text).toContain('米饭 **2.5 斤** · 李四');
  });

  it('绑定 in a group binds it, and the next report’s notification goes into that group', async () => {
    const written = await write('绑定', { group: '三号店通知群' });
    const [reply] = await repliesOnce(written.conversation_id, 1);
    expect(reply.text).toMatch(new RegExp(`^绑定成功：本群将收到门店 ${STORE} 的报菜通知。\n`));
    const bot = await t.request('GET', `/api/v1/dingtalk-bots/${botId}`);
    expect(bot.body.data.open_conversation_id).toBe(written.conversation_id);

    // The bot has a group now: it takes that group's messages, and another group is no store's.
    const elsewhere = await write('报菜 红烧肉 5 份', { group: '三号店厨房' });
    const kitchen = await repliesOnce(elsewhere.conversation_id, 3);
    expect(kitchen[2]?.text).toMatch(/^本群还没有关联门店/);
    await write('报菜 红烧肉 6 份', { group: '三号店通知群' });
    await waitFor(
      () =>
        sim.state.received({ channel: 'group', target: written.conversation_id, accepted: true }).length > 0,
      'the notification in the bound group',
    );
    const [notification] = sim.state.received({ channel: 'group', target: written.conversation_id });
    expect(notification.text).toContain('红烧肉');
  });

  it('anything else is answered with the commands', async () => {
    // From cook01, whom 绑定 bound to the store: one-to-one messages of an unbound sender go to no store.
    const written = await write('在吗');
    const [reply] = await repliesOnce(written.conversation_id, 1);
    expect(reply.text).toContain('可用命令');
  });

  it('a redelivered message creates one report, also after the service restarted on the same database', async () => {
    const written = await write('报菜 鱼香肉丝 8 份', { group: '三号店通知群' });
    const confirmations = () =>
      replies(written.conversation_id).filter((reply) => reply.text?.startsWith('已报菜：鱼香肉丝'));
    await waitFor(() => confirmations().length === 1, 'the confirmation');
    const count = (await reports()).length;

    const redeliver = async () => {
      const response = await fetch(`${sim.url}/_sim/stream/messages/${written.message_id}/redeliver`, {
        method: 'POST',
      });
      expect(response.status).toBe(200);
    };
    await redeliver();
    await waitFor(() => t.logs.find('Duplicate bot message ignored').length === 1, 'the duplicate noticed');

    await restart();
    await connected();
    await redeliver();
    await waitFor(
      () => t.logs.find('Duplicate bot message ignored').length === 1,
      'the duplicate noticed again',
    );

    expect(sim.stream.acksOf(written.message_id)).toHaveLength(3);
    expect(await reports()).toHaveLength(count);
    expect((await reports()).filter((report) => report.dish_name === '鱼香肉丝')).toHaveLength(1);
    expect(confirmations()).toHaveLength(1);
  });
});
