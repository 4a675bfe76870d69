import { createHmac } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/clocks';
import { AlertJob } from '../../src/bot-health/alerts/alert.job';
import {
  CreatedBot,
  givenMenuReport,
  givenWebhookBot,
  robotWebhook,
  signedRobotFields,
} from '../support/given';
import { useTestApp } from '../support/use-test-app';
import { waitFor } from '../support/wait-for';

const WEBHOOK_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/** An operator's webhook receiver: records each request; answers the statuses it is given, then 200. */
class Receiver {
  readonly requests: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  readonly answers: number[] = [];
  private server!: Server;

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/bots?token=abc`;
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.requests.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        response.statusCode = this.answers.shift() ?? 200;
        response.end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  async close(): Promise<void> {
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** Checks a request's signature as a receiver would, from the Standard Webhooks rules (not the service's code). */
function signatureHolds({ headers, body }: { headers: IncomingHttpHeaders; body: string }): boolean {
  const key = Buffer.from(WEBHOOK_SECRET.slice('whsec_'.length), 'base64');
  const signed = `${String(headers['webhook-id'])}.${String(headers['webhook-timestamp'])}.${body}`;
  const expected = createHmac('sha256', key).update(signed).digest('base64');
  return headers['webhook-signature'] === `v1,${expected}`;
}

/**
 * Alerts end to end (docs/bot-health.md, Alerts): a store's robot broken in the simulator (its 加签 secret changed,
 * switched off) through the simulator's control API, one alert in HQ's DingTalk group and one signed webhook, the
 * recovery once mended, nothing for a bot that mends within the quiet period, and the reminder. Time is a ManualClock
 * shared with the simulator.
 */
describe('bot alerts, against the simulator', () => {
  const clock = new ManualClock();
  const receiver = new Receiver();
  beforeAll(() => receiver.start());
  afterAll(() => receiver.close());
  const { sim, t } = useTestApp({ simulator: true, clock });

  let hqRobot: { token: string };
  beforeAll(async () => {
    hqRobot = sim.state.registerRobot({ secret: 'SEChq0123456789abcdef', keywords: ['告警'] });
    const hq = await givenWebhookBot(t, {
      name: '总部运维群',
      store_id: 900,
      ...signedRobotFields(sim, hqRobot),
    });
    const settings = await t.request('PUT', '/api/v1/bot-health/settings', {
      body: { alert_quiet_period_seconds: 30, alert_reminder_hours: 1 },
    });
    expect(settings.status).toBe(200);
    const destination = await t.request('POST', '/api/v1/alert-destinations', {
      body: {
        name: '总部',
        dingtalk_bot_id: hq.id,
        webhook_url: receiver.url,
        webhook_secret: WEBHOOK_SECRET,
      },
    });
    expect(destination.status, destination.text).toBe(201);
    expect(destination.body.data).toMatchObject({
      webhook_url: expect.stringContaining('token=****'),
      has_webhook_secret: true,
    });
    expect(destination.text).not.toContain(WEBHOOK_SECRET);
  });

  const alertsInHq = () =>
    sim.state.received({ channel: 'robot', target: hqRobot.token, accepted: true }).map((m) => m.text ?? '');
  const health = async (botId: number) =>
    (await t.request('GET', `/api/v1/dingtalk-bots/${botId}/status`)).body.data.health as string;
  const patchRobot = (token: string, body: Record<string, unknown>) =>
    fetch(`${sim.url}/_sim/robots/${token}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then((response) => expect(response.status).toBe(200));
  /** Moves time in steps of the jobs' period, with a moment of real time for what each step starts. */
  const advance = async (ms: number) => {
    for (let moved = 0; moved < ms; moved += 5_000) {
      await clock.advance(Math.min(5_000, ms - moved));
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
  };
  /** Moves time 2 s at a time (at most a minute) until `done` holds. */
  const advanceUntil = async (done: () => boolean, what: string) => {
    for (let step = 0; step < 30 && !done(); step++) await advance(2_000);
    await waitFor(done, what);
  };
  const storeBot = async (storeId: number) => {
    const robot = sim.state.registerRobot({ secret: `SECstore${storeId}abcdef0123456789` });
    const bot = await givenWebhookBot(t, {
      name: '厨房群',
      store_id: storeId,
      ...signedRobotFields(sim, robot),
    });
    return { robot, bot };
  };

  it('alerts HQ once when a store robot breaks, whatever fails after, and once when it recovers', async () => {
    const { robot, bot } = await storeBot(12);
    const before = alertsInHq().length;
    const webhooksBefore = receiver.requests.length;

    // The group's owner changes the robot's 加签 secret: the bot's copy no longer matches.
    await patchRobot(robot.token, { secret: 'SECchangedbytheowner0123' });
    const failed = await givenMenuReport(t, { store_id: 12 });
    await clock.settle(async () => (await health(bot.id)) === 'broken', 'the bot broken');
    const status = (await t.request('GET', `/api/v1/dingtalk-bots/${bot.id}/status`)).body.data;
    expect(status).toMatchObject({
      health_reason: 'send_refused',
      health_detail: expect.stringContaining('310000'),
    });

    await advance(45_000);
    await waitFor(() => alertsInHq().length === before + 1, 'the alert in HQ’s group');
    const [alert] = alertsInHq().slice(before);
    expect(alert).toContain('机器人故障');
    expect(alert).toContain('门店 12');
    expect(alert).toContain('send_refused');
    expect(alert).toContain('310000');
    expect(alert).toContain('加签');
    await waitFor(() => receiver.requests.length === webhooksBefore + 1, 'the webhook');
    const hook = receiver.requests[webhooksBefore];
    expect(signatureHolds(hook)).toBe(true);
    expect(JSON.parse(hook.body)).toMatchObject({
      type: 'bot.broken',
      data: { bot_id: bot.id, store_id: 12, health: 'broken', health_reason: 'send_refused' },
    });

    // More reports fail the same way: no second alert.
    await givenMenuReport(t, { store_id: 12 });
    await givenMenuReport(t, { store_id: 12 });
    await advance(60_000);
    expect(alertsInHq()).toHaveLength(before + 1);

    // Mended: the secret back, the failed report resent.
    await patchRobot(robot.token, { secret: `SECstore12abcdef0123456789` });
    const resent = await t.request('POST', `/api/v1/notifications/${failed.notifications[0].id}/resend`);
    expect(resent.status).toBe(200);
    await clock.settle(async () => (await health(bot.id)) === 'healthy', 'the bot healthy');
    await advance(45_000);
    await waitFor(() => alertsInHq().length === before + 2, 'the recovery in HQ’s group');
    expect(alertsInHq()[before + 1]).toContain('机器人已恢复');
    await waitFor(() => receiver.requests.length === webhooksBefore + 2, 'the recovery webhook');
    expect(JSON.parse(receiver.requests[webhooksBefore + 1].body)).toMatchObject({ type: 'bot.recovered' });
    await advance(60_000);
    expect(alertsInHq()).toHaveLength(before + 2);

    // Both in the delivery log as kind alert, and in the bot's alert history.
    const logged = await t.request('GET', `/api/v1/notifications?kind=alert&store_id=900`);
    expect(logged.body.data.items.map((n: { status: string }) => n.status)).toEqual(['sent', 'sent']);
    // HQ's store admin manages the store of the bot that posts them, yet they are the chain's: not theirs to read,
    // resend or count.
    const hqManager = t.token({ sub: 'manager-900', role: 'store_admin', store_ids: [900] });
    const theirs = await t.request('GET', '/api/v1/notifications?store_id=900', { token: hqManager });
    expect(theirs.body.data.items).toEqual([]);
    const alertId = logged.body.data.items[0].id as number;
    for (const [method, path] of [
      ['GET', `/api/v1/notifications/${alertId}`],
      ['POST', `/api/v1/notifications/${alertId}/resend`],
    ] as const) {
      expect((await t.request(method, path, { token: hqManager })).status).toBe(404);
    }
    const store = await t.request('GET', '/api/v1/stores?store_id=900');
    expect(store.body.data.items[0]).toMatchObject({ store_id: 900, pending: 0, sent_today: 0 });
    const history = await t.request('GET', `/api/v1/bot-alerts?bot_id=${bot.id}`);
    expect(history.body.data.items.map((a: { type: string }) => a.type)).toEqual(['recovered', 'broken']);
  });

  it('alerts nothing for a robot switched off and on again within the quiet period', async () => {
    const { robot, bot } = await storeBot(13);
    const before = alertsInHq().length;
    await patchRobot(robot.token, { enabled: false });
    const failed = await givenMenuReport(t, { store_id: 13 });
    await clock.settle(async () => (await health(bot.id)) === 'broken', 'the bot broken');
    await advance(10_000);
    await patchRobot(robot.token, { enabled: true });
    await t.request('POST', `/api/v1/notifications/${failed.notifications[0].id}/resend`);
    await clock.settle(async () => (await health(bot.id)) === 'healthy', 'the bot healthy');
    await advance(90_000);
    expect(alertsInHq()).toHaveLength(before);
  });

  it('tells nothing of a bot switched off: no 已恢复 for the switch-off, no reminder, and its test press moves no health', async () => {
    const { robot, bot } = await storeBot(15);
    const before = alertsInHq().length;
    await patchRobot(robot.token, { enabled: false });
    await givenMenuReport(t, { store_id: 15 });
    await clock.settle(async () => (await health(bot.id)) === 'broken', 'the bot broken');
    await advance(45_000);
    await waitFor(() => alertsInHq().length === before + 1, 'the alert');

    // The store switches the bot off: not a recovery.
    const off = await t.request('PUT', `/api/v1/dingtalk-bots/${bot.id}`, { body: { is_enabled: false } });
    expect(off.status, off.text).toBe(200);
    await clock.settle(async () => (await health(bot.id)) === 'healthy', 'the bot healthy (switched off)');
    await advance(60_000);
    // Its test button still answers what DingTalk says, but the bot's health does not move.
    const test = await t.request('POST', `/api/v1/dingtalk-bots/${bot.id}/test`);
    expect(test.body.data).toMatchObject({ ok: false });
    await advance(60_000);
    expect(await health(bot.id)).toBe('healthy');
    clock.set(clock.now() + 3_600_000);
    await advance(30_000);
    expect(alertsInHq()).toHaveLength(before + 1);
    const history = await t.request('GET', `/api/v1/bot-alerts?bot_id=${bot.id}`);
    expect(history.body.data.items.map((a: { type: string }) => a.type)).toEqual(['broken']);
  });

  it('tells nothing when a bot alerted broken is switched off and on again within the quiet period, and alerts it afresh when it breaks again', async () => {
    const { robot, bot } = await storeBot(16);
    const before = alertsInHq().length;
    await patchRobot(robot.token, { enabled: false });
    await givenMenuReport(t, { store_id: 16 });
    await clock.settle(async () => (await health(bot.id)) === 'broken', 'the bot broken');
    await advance(45_000);
    await waitFor(() => alertsInHq().length === before + 1, 'the alert');

    // Switched off, and on again before the quiet period is over: no 已恢复, it did not recover.
    const off = await t.request('PUT', `/api/v1/dingtalk-bots/${bot.id}`, { body: { is_enabled: false } });
    expect(off.status, off.text).toBe(200);
    await clock.settle(async () => (await health(bot.id)) === 'healthy', 'the bot healthy (switched off)');
    await advance(10_000);
    const on = await t.request('PUT', `/api/v1/dingtalk-bots/${bot.id}`, { body: { is_enabled: true } });
    expect(on.status, on.text).toBe(200);
    await advance(90_000);
    expect(alertsInHq()).toHaveLength(before + 1);

    // Its robot still refuses: its next send breaks it again, which is alerted as a new breakage.
    await givenMenuReport(t, { store_id: 16 });
    await clock.settle(async () => (await health(bot.id)) === 'broken', 'the bot broken again');
    await advance(45_000);
    await waitFor(() => alertsInHq().length === before + 2, 'the second alert');
    expect(alertsInHq()[before + 1]).toContain('机器人故障');
    const history = await t.request('GET', `/api/v1/bot-alerts?bot_id=${bot.id}`);
    expect(history.body.data.items.map((a: { type: string }) => a.type)).toEqual(['broken', 'broken']);
    // Switched off for good: nothing more told of it (no reminder in the next test).
    await t.request('PUT', `/api/v1/dingtalk-bots/${bot.id}`, { body: { is_enabled: false } });
  });

  it('reminds while a bot stays broken, and retries a webhook that failed with the same webhook-id', async () => {
    const { robot, bot } = await storeBot(14);
    const before = alertsInHq().length;
    const webhooksBefore = receiver.requests.length;
    receiver.answers.push(500);
    await patchRobot(robot.token, { enabled: false });
    await givenMenuReport(t, { store_id: 14 });
    await clock.settle(async () => (await health(bot.id)) === 'broken', 'the bot broken');
    await advance(45_000);
    await waitFor(() => alertsInHq().length === before + 1, 'the alert');
    expect(alertsInHq()[before]).toContain('switch it on');
    // The receiver answered 500: tried again after the first wait of the retry schedule, under the same id.
    await waitFor(() => receiver.requests.length >= webhooksBefore + 1, 'the first webhook attempt');
    // The failure is recorded a moment after the receiver answered: time moves in small steps until the retry.
    await advanceUntil(() => receiver.requests.length === webhooksBefore + 2, 'the webhook retried');
    const [first, second] = receiver.requests.slice(webhooksBefore);
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(signatureHolds(second)).toBe(true);

    clock.set(clock.now() + 3_600_000);
    await advance(15_000);
    await waitFor(() => alertsInHq().length === before + 2, 'the reminder');
    expect(alertsInHq()[before + 1]).toContain('机器人仍未恢复');
  });
});

/** Two instances on one database both look for alerts at the same instant: each change is alerted once. */
describe('bot alerts with two instances', () => {
  const clock = new ManualClock();
  const {
    sim,
    apps: [first, second],
  } = useTestApp({ simulator: true, clock, instances: ['instance-a', 'instance-b'] });

  it('alerts each broken bot exactly once when both instances run the alert job at once', async () => {
    const hqRobot = sim.state.registerRobot();
    const hq = await givenWebhookBot(first, {
      name: '总部',
      store_id: 900,
      webhook: robotWebhook(sim, hqRobot),
    });
    await first.request('POST', '/api/v1/alert-destinations', {
      body: { name: '总部', dingtalk_bot_id: hq.id },
    });
    await first.request('PUT', '/api/v1/bot-health/settings', { body: { alert_quiet_period_seconds: 0 } });
    const bots: CreatedBot[] = [];
    for (let store = 20; store < 26; store++) {
      const robot = sim.state.registerRobot();
      robot.enabled = false;
      bots.push(await givenWebhookBot(first, { store_id: store, webhook: robotWebhook(sim, robot) }));
      await givenMenuReport(first, { store_id: store });
    }
    await clock.settle(async () => {
      const healths = await Promise.all(
        bots.map(
          async (bot) => (await first.request('GET', `/api/v1/dingtalk-bots/${bot.id}`)).body.data.health,
        ),
      );
      return healths.every((health) => health === 'broken');
    }, 'every store bot broken');

    await Promise.all([first.app.get(AlertJob).run(), second.app.get(AlertJob).run()]);
    await first.app.get(AlertJob).run();
    await clock.settle(
      () => sim.state.received({ target: hqRobot.token, accepted: true }).length >= bots.length,
      'the alerts in HQ’s group',
    );
    const alerts = sim.state.received({ target: hqRobot.token, accepted: true }).map((m) => m.text ?? '');
    expect(alerts).toHaveLength(bots.length);
    for (const bot of bots) expect(alerts.filter((text) => text.includes(`#${bot.id}，`))).toHaveLength(1);
  });
});
