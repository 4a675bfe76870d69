import { DataSource } from 'typeorm';
import { beforeAll, describe, expect, it } from 'vitest';
import { SimMessage } from '../../simulator/core/simulator-state';
import { ManualClock } from '../support/clocks';
import { waitFor } from '../support/wait-for';
import { useTestApp } from '../support/use-test-app';
import {
  BotFields,
  givenBot,
  givenMenuReport,
  givenStreamBot,
  robotWebhook,
  givenRobotAnswers,
} from '../support/given';

const PAUSE_MS = 60_000;
const RETRY_MS = 30_000;

/**
 * Delivery at its edges, against the simulator, on a clock the test moves: what a digest may fold, a stream bot's
 * targets removed between two attempts, the parts of a long message in order, a bot moved to another store, and
 * each DingTalk API's size limit.
 */
describe('delivery: order, targets, stores and sizes', () => {
  const clock = new ManualClock(Date.now());
  const { sim, t } = useTestApp({
    simulator: { stream: { redeliveryDelayMs: null } },
    clock,
    env: {
      DELIVERY_RETRY_SCHEDULE: `${RETRY_MS / 1000}s,${RETRY_MS / 1000}s`,
      DELIVERY_THROTTLE_PAUSE_MS: String(PAUSE_MS),
      // The safety-net sweep out of the way: what is checked here is what the claim itself does.
      DELIVERY_POLL_INTERVAL_MS: String(10 * 60_000),
      // A confirming store's webhook bot sends ActionCards of links (docs/confirmation.md).
      PUBLIC_URL: 'https://notify.example.test',
    },
  });
  let db: DataSource;

  beforeAll(() => {
    db = t.app.get(DataSource);
  });

  const createBot = (body: BotFields) => givenBot(t, { name: 'bot', ...body });
  const streamBot = async (storeId: number, userIds: string[], extra: BotFields = {}) => {
    const app = sim.state.registerApp();
    const group = sim.state.ensureConversation({ title: `${storeId} 号店后厨群`, clientId: app.clientId });
    const bot = await givenStreamBot(t, app, {
      name: 'bot',
      store_id: storeId,
      user_ids: userIds,
      open_conversation_id: group.id,
      ...extra,
    });
    return { bot, app, group };
  };
  const report = (storeId: number, dish = '宫保鸡丁') =>
    givenMenuReport(t, { store_id: storeId, dish_name: dish, quantity: 5 });
  const row = async (id: number) =>
    (
      await db.query(
        `SELECT status, attempts, hint, remaining_targets, merged_into, store_id FROM notifications WHERE id = $1`,
        [id],
      )
    )[0] as {
      status: string;
      attempts: number;
      hint: string | null;
      remaining_targets: string[] | null;
      merged_into: string | null;
      store_id: number;
    };
  const settle = clock.settle.bind(clock);
  /** Moves time on in steps of `stepMs` until `ready` holds (for what waits on a bot's rate window). */
  const drive = (ready: () => Promise<boolean> | boolean, what: string, stepMs = 5_000) =>
    waitFor(async () => {
      if (await ready()) return true;
      await clock.advance(stepMs);
      return false;
    }, what);
  const statusIs = (id: number, status: string) => async () => (await row(id)).status === status;
  /**
   * Every one of these reports delivered: sent alone, or merged into a digest that was sent. A merged row alone is
   * not delivered yet: its digest is written and leased in the claim that merges it, and sent after that commits.
   */
  const allDelivered = (ids: number[]) => async () => {
    const [{ waiting }] = await db.query(
      `SELECT count(*)::int AS waiting FROM notifications n LEFT JOIN notifications d ON d.id = n.merged_into
       WHERE n.id = ANY($1::bigint[])
         AND NOT (n.status = 'sent' OR (n.status = 'merged' AND d.status = 'sent'))`,
      [ids],
    );
    return waiting === 0;
  };
  /** DingTalk answers the group's next robot message with its throttle (send.too.fast). */
  const throttleTheGroupOnce = () =>
    sim.state.addFault({
      path: '/v1.0/robot/groupMessages/send',
      mode: 'errcode',
      httpStatus: 400,
      errcode: 'send.too.fast',
      errmsg: 'send too fast',
      remaining: 1,
    });
  /**
   * While the bot is paused, a backlog longer than a minute's worth of its rate builds up behind `first`: it is all
   * delivered, some of it as digests. Answers the backlog's reports.
   */
  const backlogFoldedIntoDigests = async (
    botId: number,
    storeId: number,
    first: { notifications: { id: number }[] },
  ) => {
    const backlog = [];
    for (let i = 0; i < 5; i++) backlog.push(await report(storeId, `菜${i}`));
    await clock.advance(PAUSE_MS);
    const all = [first, ...backlog].map((created) => created.notifications[0].id);
    await drive(allDelivered(all), 'every report delivered');
    const [{ digests }] = await db.query(
      `SELECT count(*)::int AS digests FROM notifications WHERE bot_id = $1 AND kind = 'digest'`,
      [botId],
    );
    expect(digests).toBeGreaterThan(0);
    return backlog;
  };
  /** A webhook bot that sends one message a minute, so what follows its first report waits (and may fold). */
  const webhookBot = async (storeId: number) => {
    const robot = sim.state.registerRobot();
    const bot = await createBot({
      store_id: storeId,
      webhook: robotWebhook(sim, robot),
      rate_limit_per_minute: 1,
    });
    return { bot, robot };
  };
  /** One report sent, then three more waiting behind it for the bot's rate window: their ids. */
  const sentOneThenBacklogOfThree = async (storeId: number) => {
    const first = (await report(storeId, '第一道')).notifications[0].id;
    await settle(statusIs(first, 'sent'), 'the first report');
    const backlog: number[] = [];
    for (let i = 0; i < 3; i++) backlog.push((await report(storeId, `积压${i}`)).notifications[0].id);
    return backlog;
  };
  /** The report numbers a message carries: alone (报菜编号 #id) or as a digest line (（#id）). */
  const reportIdsIn = (message: SimMessage) =>
    [...(message.text ?? '').matchAll(/(?:报菜编号[：\s]*#|（#)(\d+)/g)].map((match) => Number(match[1]));

  it('never folds a stream notification that reached some of its targets into a digest: each user gets it once', async () => {
    const users = ['manager61', 'chef61'];
    const { bot, group } = await streamBot(61, users, { rate_limit_per_minute: 2 });
    // The group throttles the first message; the users take it.
    throttleTheGroupOnce();
    const first = await report(61, '水煮鱼');
    const firstId = first.notifications[0].id;
    await settle(
      async () => (await row(firstId)).remaining_targets !== null,
      'the first report reaching the users only',
    );
    expect(await row(firstId)).toMatchObject({
      status: 'pending',
      attempts: 0,
      remaining_targets: ['group'],
    });

    const backlog = await backlogFoldedIntoDigests(bot.id, 61, first);

    const reportIds = [first, ...backlog].map((created) => created.id).sort((a, b) => a - b);
    for (const user of users) {
      const got = sim.state
        .received({ channel: 'work_notification', target: user, accepted: true })
        .flatMap(reportIdsIn);
      expect(
        got.filter((id) => id === first.id),
        `${user} got report ${first.id}`,
      ).toHaveLength(1);
      expect([...got].sort((a, b) => a - b)).toEqual(reportIds);
    }
    const inGroup = sim.state
      .received({ channel: 'group', target: group.id, accepted: true })
      .flatMap(reportIdsIn);
    expect([...inGroup].sort((a, b) => a - b)).toEqual(reportIds);
    // It went on alone to the group.
    expect((await row(firstId)).status).toBe('sent');
  });

  it('never folds a notification that reached some users into a digest, though every target missed: each user gets it once', async () => {
    const users = ['manager64', 'chef64'];
    const { bot, app } = await streamBot(64, users, { rate_limit_per_minute: 2 });
    // The work notification reaches manager64 only (chef64 failed, worth another try: the users missed), and the group
    // throttles: the attempt is a throttle, no target is done, yet manager64 has the report.
    app.recipients.workFailed = ['chef64'];
    throttleTheGroupOnce();
    const first = await report(64, '酸菜鱼');
    const firstId = first.notifications[0].id;
    await settle(
      async () =>
        (
          await db.query(`SELECT count(*)::int AS n FROM notification_attempts WHERE notification_id = $1`, [
            firstId,
          ])
        )[0].n > 0,
      'the first attempt',
    );
    expect(await row(firstId)).toMatchObject({ status: 'pending', attempts: 0, remaining_targets: null });
    app.recipients.workFailed = [];

    await backlogFoldedIntoDigests(bot.id, 64, first);
    expect((await row(firstId)).status).toBe('sent');
    const got = sim.state
      .received({ channel: 'work_notification', target: 'manager64', accepted: true })
      .flatMap(reportIdsIn);
    expect(got.filter((id) => id === first.id)).toHaveLength(1);
  });

  it('ends a half-sent stream notification whose missing target was removed, without sending it again to the rest', async () => {
    const users = ['manager62', 'chef62'];
    const { bot, group } = await streamBot(62, users);
    sim.state.addFault({ path: '/v1.0/robot/groupMessages/send', mode: 'http_500', remaining: 1 });
    const created = await report(62, '回锅肉');
    const id = created.notifications[0].id;
    await settle(statusIs(id, 'retrying'), 'the group failing once');
    expect(await row(id)).toMatchObject({ attempts: 1, remaining_targets: ['group'] });

    // The group is taken off the bot before the retry: what the message missed no longer exists.
    const update = await t.request('PUT', `/api/v1/dingtalk-bots/${bot.id}`, {
      body: { open_conversation_id: null },
    });
    expect(update.status, update.text).toBe(200);
    await clock.advance(RETRY_MS * 2);
    await settle(statusIs(id, 'failed'), 'the notification to end');
    const ended = await row(id);
    expect(ended.hint).toContain('reached the users');
    expect(ended.hint).toContain('the group');
    expect(ended.remaining_targets).toEqual(['group']);
    for (const user of users) {
      expect(sim.state.received({ channel: 'work_notification', target: user })).toHaveLength(1);
    }
    expect(sim.state.received({ channel: 'group', target: group.id, accepted: true })).toEqual([]);
  });

  it('never sends a part before an earlier part of its message, retries included; another message does not wait', async () => {
    const robot = sim.state.registerRobot();
    const bot = await createBot({
      store_id: 63,
      webhook: robotWebhook(sim, robot),
      msg_type: 'text',
    });
    // About 30,000 bytes: two parts.
    const content = Array.from({ length: 300 }, (_, i) => `第${i}行 ${'鱼香肉丝'.repeat(8)}`).join('\n');
    sim.state.addFault({ path: '/robot/send', mode: 'http_500', remaining: 1 });
    const batch = await t.request('POST', '/api/v1/dingtalk-bots/batch-send', {
      body: { bot_ids: [bot.id], msg_type: 'text', content },
    });
    expect(batch.status, batch.text).toBe(202);
    const parts: number[] = batch.body.data.items[0].notification_ids.map(Number);
    expect(parts).toHaveLength(2);
    await settle(statusIs(parts[0], 'retrying'), 'part 1 failing once');
    // A separate message is not held back by part 1's retry (docs/delivery.md, "Delivery guarantees")...
    const other = (await report(63, '单独一条')).notifications[0].id;
    await settle(statusIs(other, 'sent'), 'a separate report');
    // ...but part 2 is, however long it has been due.
    expect((await row(parts[1])).status).toBe('pending');

    await drive(statusIs(parts[1], 'sent'), 'both parts sent');
    const texts = sim.state
      .received({ target: robot.token, accepted: true })
      .map((message) => (message.text ?? '').split('\n', 1)[0]);
    expect(texts).toEqual(['【报菜通知】门店 63', '（1/2）', '（2/2）']);
  });

  describe("a stream bot's group: at most 15,000 bytes of msgParam", () => {
    const msgParamBytes = (message: SimMessage) =>
      Buffer.byteLength((message.body as { msgParam: string }).msgParam, 'utf8');

    it('gets a large message in parts, each within the limit', async () => {
      const { bot, group } = await streamBot(64, []);
      // About 17,000 bytes: one webhook message, but over a group message's limit.
      const content = Array.from({ length: 160 }, (_, i) => `- 第${i}行：${'麻婆豆腐'.repeat(8)}`).join('\n');
      const batch = await t.request('POST', '/api/v1/dingtalk-bots/batch-send', {
        body: { bot_ids: [bot.id], msg_type: 'markdown', title: '今日备料', content },
      });
      expect(batch.status, batch.text).toBe(202);
      const ids: number[] = batch.body.data.items[0].notification_ids.map(Number);
      expect(ids.length).toBeGreaterThan(1);
      await drive(async () => {
        for (const id of ids) if ((await row(id)).status !== 'sent') return false;
        return true;
      }, 'every part sent');
      const received = sim.state.received({ channel: 'group', target: group.id });
      expect(received.map((message) => message.errcode)).toEqual(ids.map(() => 0));
      for (const message of received) expect(msgParamBytes(message)).toBeLessThanOrEqual(15_000);
      const rejoined = received.map((message) => (message.text ?? '').split('\n').slice(1).join('\n'));
      expect(rejoined.join('\n')).toBe(content);
    });

    it('gets digests within the limit: a backlog too big for one goes in several, each report once', async () => {
      const { bot, group } = await streamBot(65, [], { rate_limit_per_minute: 1 });
      const dish = (i: number) => `${'秘制红烧狮子头配时令蔬菜'.repeat(7)}${i}`.slice(-100);
      // The group answers once time moves on: each digest is still in flight after its reports show `merged`.
      sim.state.addFault({
        path: '/v1.0/robot/groupMessages/send',
        mode: 'slow',
        delayMs: 1,
        remaining: 0,
        probability: 1,
      });
      const reports = [];
      for (let i = 0; i < 70; i++) reports.push(await report(65, dish(i)));
      const ids = reports.map((created) => created.notifications[0].id);
      await drive(allDelivered(ids), 'every report delivered');
      const [{ failed }] = await db.query(
        `SELECT count(*)::int AS failed FROM notifications WHERE bot_id = $1 AND status <> 'sent' AND status <> 'merged'`,
        [bot.id],
      );
      expect(failed).toBe(0);
      const received = sim.state.received({ channel: 'group', target: group.id });
      expect(received.every((message) => message.errcode === 0)).toBe(true);
      const digests = received.filter((message) => message.title?.startsWith('报菜汇总'));
      expect(digests.length).toBeGreaterThan(1);
      for (const message of received) expect(msgParamBytes(message)).toBeLessThanOrEqual(15_000);
      const got = received.flatMap(reportIdsIn).sort((a, b) => a - b);
      expect(got).toEqual(reports.map((created) => created.id).sort((a, b) => a - b));
    });
  });

  it('tells on the merged reports of a digest that failed, and sends them when the digest is resent', async () => {
    const { robot } = await webhookBot(66);
    const backlog = await sentOneThenBacklogOfThree(66);
    // The digest meets a permanent refusal (an unknown access_token, as DingTalk answers once a robot is removed).
    givenRobotAnswers(sim, 300005, 'token is not exist');
    await drive(async () => (await row(backlog[0])).merged_into !== null, 'the backlog merged');
    const digest = Number((await row(backlog[0])).merged_into);
    await drive(statusIs(digest, 'failed'), 'the digest failing');
    for (const id of backlog) {
      expect(await row(id)).toMatchObject({ status: 'merged', merged_into: String(digest) });
      expect((await row(id)).hint).toContain(`Resend notification ${digest}`);
    }

    const resend = await t.request('POST', `/api/v1/notifications/${digest}/resend`);
    expect(resend.status, resend.text).toBe(200);
    await drive(statusIs(digest, 'sent'), 'the resent digest');
    for (const id of backlog) expect(await row(id)).toMatchObject({ status: 'merged', hint: null });
    const texts = sim.state.received({ target: robot.token, accepted: true }).map((m) => m.title);
    expect(texts).toEqual(['报菜通知：第一道 5 份', '报菜汇总：3 条']);
  });

  it('never folds a report with confirmation buttons into a digest: each ActionCard reaches the group with its links', async () => {
    const { bot, robot } = await webhookBot(69);
    const enabled = await t.request('PUT', '/api/v1/stores/69/confirmation-settings', {
      body: { enabled: true },
    });
    expect(enabled.status, enabled.text).toBe(200);
    const backlog = await sentOneThenBacklogOfThree(69);
    await drive(allDelivered(backlog), 'every report delivered');
    for (const id of backlog) expect(await row(id)).toMatchObject({ status: 'sent', merged_into: null });
    const [{ digests }] = await db.query(
      `SELECT count(*)::int AS digests FROM notifications WHERE bot_id = $1 AND kind = 'digest'`,
      [bot.id],
    );
    expect(digests).toBe(0);
    const received = sim.state.received({ target: robot.token, accepted: true });
    expect(received.map((m) => (m.body as { msgtype: string }).msgtype)).toEqual(Array(4).fill('actionCard'));
  });

  it('tells on the merged reports of a digest that was skipped: they did not arrive either', async () => {
    const { bot, robot } = await webhookBot(67);
    const backlog = await sentOneThenBacklogOfThree(67);
    // The digest's first try fails; before its retry, the bot is disabled.
    sim.state.addFault({ path: '/robot/send', mode: 'http_500', remaining: 1 });
    await drive(async () => (await row(backlog[0])).merged_into !== null, 'the backlog merged');
    const digest = Number((await row(backlog[0])).merged_into);
    await drive(statusIs(digest, 'retrying'), 'the digest failing once');
    // While the digest carries it, a folded report is not sent on its own: it would arrive twice.
    const early = await t.request('POST', `/api/v1/notifications/${backlog[0]}/resend`);
    expect(early.status, early.text).toBe(409);
    expect(early.text).toContain(`digest ${digest}`);
    const disabled = await t.request('PUT', `/api/v1/dingtalk-bots/${bot.id}`, {
      body: { is_enabled: false },
    });
    expect(disabled.status, disabled.text).toBe(200);
    await settle(statusIs(digest, 'skipped'), 'the digest skipped');
    for (const id of backlog) {
      const folded = await row(id);
      expect(folded).toMatchObject({ status: 'merged', merged_into: String(digest) });
      expect(folded.hint).toContain(`Folded into digest ${digest}, which was skipped`);
    }
    expect(sim.state.received({ target: robot.token, accepted: true }).map((m) => m.title)).toEqual([
      '报菜通知：第一道 5 份',
    ]);
    // Now that the digest did not carry it, the report may go alone.
    const enabled = await t.request('PUT', `/api/v1/dingtalk-bots/${bot.id}`, { body: { is_enabled: true } });
    expect(enabled.status, enabled.text).toBe(200);
    const resent = await t.request('POST', `/api/v1/notifications/${backlog[0]}/resend`);
    expect(resent.status, resent.text).toBe(200);
    await drive(statusIs(backlog[0], 'sent'), 'the resent report');
    expect(sim.state.received({ target: robot.token, accepted: true }).map((m) => m.title)).toEqual([
      '报菜通知：第一道 5 份',
      '报菜通知：积压0 5 份',
    ]);
  });

  describe('a bot moved to another store', () => {
    /** One report sent, one waiting for the bot's rate window. */
    const oneSentOneWaiting = async (storeId: number) => {
      const first = (await report(storeId, '第一道')).notifications[0].id;
      await settle(statusIs(first, 'sent'), 'the first report');
      const waiting = (await report(storeId, '第二道')).notifications[0].id;
      await settle(async () => (await row(waiting)).status === 'pending', 'the second report waiting');
      return waiting;
    };

    it("skips the old store's waiting notifications with a reason instead of sending them to the new group", async () => {
      const { bot, robot } = await webhookBot(71);
      const waiting = await oneSentOneWaiting(71);
      const newGroup = sim.state.registerRobot();
      const moved = await t.request('PUT', `/api/v1/dingtalk-bots/${bot.id}`, {
        body: { store_id: 72, webhook: robotWebhook(sim, newGroup) },
      });
      expect(moved.status, moved.text).toBe(200);
      await settle(statusIs(waiting, 'skipped'), 'the old store’s notification skipped');
      expect((await row(waiting)).hint).toContain('moved to another store');

      await clock.advance(2 * 60_000);
      const next = (await report(72, '新店菜')).notifications;
      expect(next.map((n) => n.bot_id)).toEqual([bot.id]);
      await settle(statusIs(next[0].id, 'sent'), 'the new store’s report');
      expect(sim.state.received({ target: newGroup.token }).map((m) => m.title)).toEqual([
        '报菜通知：新店菜 5 份',
      ]);
      expect(sim.state.received({ target: robot.token }).map((m) => m.title)).toEqual([
        '报菜通知：第一道 5 份',
      ]);
    });

    it('never sends a notification of the old store when the move commits while a claim runs (no event seen)', async () => {
      const { bot, robot } = await webhookBot(73);
      const waiting = await oneSentOneWaiting(73);
      // Another instance's move, as this one's claim sees it: the bot row changed, no event here.
      await db.query(`UPDATE ding_talk_bots SET store_id = 74, updated_at = now() WHERE id = $1`, [bot.id]);
      const movedAt = clock.now();
      await drive(statusIs(waiting, 'skipped'), 'the old store’s notification skipped');
      // By the claim that found it due (the bot's rate window), not by the 10-minute sweep.
      expect(clock.now() - movedAt).toBeLessThan(2 * 60_000);
      expect((await row(waiting)).hint).toContain('moved to another store');
      expect(sim.state.received({ target: robot.token }).map((m) => m.title)).toEqual([
        '报菜通知：第一道 5 份',
      ]);
    });
  });
});
