import { DataSource } from 'typeorm';
import { beforeAll, describe, expect, it } from 'vitest';
import { SimApp } from '../../simulator/core/simulator-state';
import { ManualClock } from '../support/clocks';
import { busiestMinute } from '../support/delivery-checks';
import { waitFor, waitForValue } from '../support/wait-for';
import { useTestApp } from '../support/use-test-app';
import { givenMenuReport, givenStreamBot, givenWebhookBot, robotWebhook } from '../support/given';

const BAN_MS = 10 * 60_000;

/**
 * The service against DingTalk's limits as the simulator plays them for real, not as one-off injected faults
 * (docs/dingtalk/custom-robot.md, docs/dingtalk/robot-messages.md): a robot's own throttle code after its real
 * per-minute limit, and robot one-to-one sends that answer HTTP 200 yet name users who did not get the message.
 */
describe('DingTalk limits, against the simulator', () => {
  const clock = new ManualClock(Date.now());
  const { sim, t } = useTestApp({ simulator: { stream: { redeliveryDelayMs: null } }, clock });

  const report = (storeId: number) =>
    givenMenuReport(t, { store_id: storeId, dish_name: '酸辣土豆丝', quantity: 4 });
  const detail = async (id: number) => (await t.request('GET', `/api/v1/notifications/${id}`)).body.data;
  const settle = clock.settle.bind(clock);

  describe.each([
    [410100, 51],
    [130101, 52],
    [660026, 53],
  ] as const)("a robot whose limit answers %d: the bot pauses for DingTalk's 10 minutes", (code, store) => {
    it('keeps the refused notification pending without spending an attempt, and sends it after the ban', async () => {
      // DingTalk's real limit for this robot is one message a minute; the service's is the default 20.
      const robot = sim.state.registerRobot({ ratePerMinute: 1, throttleErrcode: code });
      const bot = await givenWebhookBot(t, { store_id: store, webhook: robotWebhook(sim, robot) });
      const first = await report(store);
      await settle(
        async () => (await detail(first.notifications[0].id)).status === 'sent',
        'the first report',
      );

      const second = await report(store);
      const id = second.notifications[0].id;
      await settle(async () => (await detail(id)).attempts.length === 1, 'the throttled attempt');
      const paused = await detail(id);
      expect(paused).toMatchObject({ status: 'pending', attempt_count: 0 });
      expect(paused.attempts[0]).toMatchObject({ outcome: 'throttled', errcode: code });
      const status = (await t.request('GET', `/api/v1/dingtalk-bots/${bot.id}/status`)).body.data;
      expect(status.last_delivery_status).toBe('throttled');
      expect(Date.parse(status.rate_limited_until)).toBeGreaterThanOrEqual(
        Date.parse(paused.attempts[0].at) + BAN_MS,
      );

      await clock.advance(BAN_MS - 1_000);
      expect((await detail(id)).status).toBe('pending');
      await clock.advance(1_000);
      await settle(async () => (await detail(id)).status === 'sent', 'the report after the ban');
      expect(sim.state.received({ target: robot.token }).map((message) => message.errcode)).toEqual([
        0,
        code,
        0,
      ]);
    });
  });

  it('two bots on one robot (the same webhook access_token) share its 20 a minute, the test button included', async () => {
    const robot = sim.state.registerRobot({});
    const webhook = `${sim.url}/robot/send?access_token=${robot.token}`;
    const first = await givenWebhookBot(t, { store_id: 61, webhook });
    const second = await givenWebhookBot(t, { store_id: 62, webhook });
    const reports = [];
    for (let i = 0; i < 30; i++) reports.push(await report(i % 2 === 0 ? 61 : 62));
    const accepted = () => sim.state.received({ target: robot.token, accepted: true }).length;
    await settle(() => accepted() === 20, 'the first 20 reports');
    // Every bot's 15 is under its own limit; only the robot's shared window keeps the 21st back.
    await clock.advance(1_000);
    expect(accepted()).toBe(20);
    expect(sim.state.received({ target: robot.token, accepted: false })).toEqual([]);

    const pressed = await t.request('POST', `/api/v1/dingtalk-bots/${second.id}/test`);
    expect(pressed.status, pressed.text).toBe(429);
    expect(pressed.body.msg).toMatch(/robot of bot \d+.*Try again in \d+ s/);
    const retryAfter = Number(pressed.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(50);
    expect(retryAfter).toBeLessThanOrEqual(63);

    await clock.advance(62_000);
    await settle(() => accepted() === 30, 'the other 10 reports');
    const received = sim.state.received({ target: robot.token });
    expect(received.map((message) => message.errcode).filter((code) => code !== 0)).toEqual([]);
    expect(busiestMinute(received.map((message) => message.arrivedAt))).toBeLessThanOrEqual(20);
    const ids = received.map((message) => Number(/报菜编号[ ：]#(\d+)/.exec(message.text ?? '')?.[1]));
    expect([...ids].sort((a, b) => a - b)).toEqual(reports.map((created) => created.id));
    // Both bots' last results recorded (the simulator may have the last message a moment before the service).
    const statusOf = async (id: number) =>
      (await t.request('GET', `/api/v1/dingtalk-bots/${id}/status`)).body.data;
    await settle(
      async () =>
        (await statusOf(first.id)).pending_notifications +
          (await statusOf(second.id)).pending_notifications ===
        0,
      'both bots done',
    );
    for (const bot of [first, second])
      expect(await statusOf(bot.id)).toMatchObject({ last_delivery_status: 'sent' });
  });

  it("refuses the test button of a bot whose robot another bot's 20 messages filled, saying when to try again", async () => {
    const robot = sim.state.registerRobot({});
    const webhook = `${sim.url}/robot/send?access_token=${robot.token}`;
    await givenWebhookBot(t, { store_id: 63, webhook });
    const idle = await givenWebhookBot(t, { store_id: 64, webhook });
    for (let i = 0; i < 20; i++) await report(63);
    await settle(
      () => sim.state.received({ target: robot.token, accepted: true }).length === 20,
      'the 20 reports of the busy bot',
    );
    const pressed = await t.request('POST', `/api/v1/dingtalk-bots/${idle.id}/test`);
    expect(pressed.status, pressed.text).toBe(429);
    expect(Number(pressed.headers.get('retry-after'))).toBeGreaterThan(50);
    expect(sim.state.received({ target: robot.token })).toHaveLength(20);
    await clock.advance(63_000);
    const later = await t.request('POST', `/api/v1/dingtalk-bots/${idle.id}/test`);
    expect(later.status, later.text).toBe(200);
    expect(later.body.data).toMatchObject({ ok: true });
  });

  it('HTTP 429 pauses the robot for as long as Retry-After says, spends no attempt, then sends', async () => {
    const robot = sim.state.registerRobot({});
    const bot = await givenWebhookBot(t, { store_id: 55, webhook: robotWebhook(sim, robot) });
    sim.state.addFault({ path: '/robot/send', mode: 'http_429', retryAfter: '90', remaining: 1 });
    const created = await report(55);
    const id = created.notifications[0].id;
    await settle(async () => (await detail(id)).attempts.length === 1, 'the 429 attempt');
    const paused = await detail(id);
    expect(paused).toMatchObject({ status: 'pending', attempt_count: 0 });
    expect(paused.attempts[0]).toMatchObject({ outcome: 'throttled', http_status: 429 });
    const status = (await t.request('GET', `/api/v1/dingtalk-bots/${bot.id}/status`)).body.data;
    expect(Date.parse(status.rate_limited_until)).toBeGreaterThanOrEqual(
      Date.parse(paused.attempts[0].at) + 90_000,
    );
    expect(Date.parse(status.rate_limited_until)).toBeLessThan(Date.parse(paused.attempts[0].at) + 95_000);

    // Not retried in 5 s as an ordinary failure would be: nothing goes to the robot before the 90 s are over.
    await clock.advance(60_000);
    expect((await detail(id)).status).toBe('pending');
    expect(sim.state.received({ target: robot.token })).toEqual([]);
    await clock.advance(31_000);
    await settle(async () => (await detail(id)).status === 'sent', 'the report after Retry-After');
    expect(sim.state.received({ target: robot.token }).map((message) => message.errcode)).toEqual([0]);
  });

  it("counts a send in its robot's window from its recording, not its claim: never earlier than DingTalk had it", async () => {
    const robot = sim.state.registerRobot();
    const bot = await givenWebhookBot(t, { store_id: 58, webhook: robotWebhook(sim, robot) });
    const db = t.app.get(DataSource);
    const windowOf = async (): Promise<number[]> =>
      (
        await db.query(
          `SELECT w.recent_sends FROM robot_rate_windows w
           JOIN ding_talk_bots b ON w.robot_key = COALESCE(b.robot_key, 'bot:' || b.id) WHERE b.id = $1`,
          [bot.id],
        )
      )[0].recent_sends;
    // The send leaves at the claim and DingTalk's answer comes 7 s later (the shared clock): recorded then. Under
    // load, the time between a claim and its send's arrival is what this stands for.
    sim.state.addFault({ path: '/robot/send', mode: 'slow', delayMs: 7_000, remaining: 1 });
    const claimedAt = clock.now();
    const { notifications } = await report(58);
    await settle(() => sim.state.received({ target: robot.token }).length === 1, 'the send to arrive');
    expect(await windowOf()).toEqual([claimedAt]);
    await clock.advance(7_000);
    await settle(async () => (await detail(notifications[0].id)).status === 'sent', 'the send recorded');
    expect(await windowOf()).toEqual([claimedAt + 7_000]);
  });

  describe('robot one-to-one replies that DingTalk answers with HTTP 200 but did not deliver', () => {
    let app: SimApp;

    beforeAll(async () => {
      app = sim.state.registerApp({ recipients: { flowControlled: ['busy01'], invalid: ['ghost01'] } });
      await givenStreamBot(t, app, { store_id: 54 });
      await waitFor(() => sim.stream.connections(app.clientId).length === 1, 'the bot connected');
    });

    /** A one-to-one message whose reply window has closed (DingTalk answers 300001): the reply goes one-to-one. */
    const writeAfterTheWindow = async (staffId: string) => {
      sim.state.addFault({
        path: '/robot/sendBySession',
        mode: 'errcode',
        errcode: 300001,
        errmsg: 'session 不存在',
        remaining: 1,
      });
      const written = sim.stream.sendBotMessage({
        clientId: app.clientId,
        conversationType: '1',
        senderStaffId: staffId,
        text: '今日',
      });
      return waitForValue(async () => {
        // Past the waits before a throttled user's next try (bot-replier.ts).
        await clock.advance(1_000);
        const rows = await t.app
          .get(DataSource)
          .query<Array<{ reply_via: string | null; reply_error: string | null; handled_at: Date | null }>>(
            'SELECT reply_via, reply_error, handled_at FROM received_bot_messages WHERE msg_id = $1',
            [written.msgId],
          );
        return rows[0]?.handled_at ? rows[0] : false;
      }, `the reply to ${staffId}`);
    };

    it('records a throttled user as not reached, naming the user, after the bounded tries', async () => {
      const row = await writeAfterTheWindow('busy01');
      expect(row.reply_via).toBe('oto');
      expect(row.reply_error).toBe('Not delivered to busy01 (flowControlled)');
      expect(sim.state.received({ channel: 'oto', target: 'busy01' })).toEqual([
        expect.objectContaining({ droppedCode: 'flowControlled' }),
        expect.objectContaining({ droppedCode: 'flowControlled' }),
        expect.objectContaining({ droppedCode: 'flowControlled' }),
      ]);
    });

    it('records an unknown user as not reached, naming the user', async () => {
      const row = await writeAfterTheWindow('ghost01');
      expect(row.reply_via).toBe('oto');
      expect(row.reply_error).toBe('Not delivered to ghost01 (invalid)');
      expect(sim.state.received({ channel: 'oto', target: 'ghost01' })).toHaveLength(1);
    });

    it('reaches a user DingTalk does not hold back', async () => {
      const row = await writeAfterTheWindow('cook01');
      expect(row).toMatchObject({ reply_via: 'oto', reply_error: null });
      expect(sim.state.received({ channel: 'oto', target: 'cook01', accepted: true })).toHaveLength(1);
    });
  });
});
