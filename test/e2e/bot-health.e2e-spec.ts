import { EventEmitter2 } from '@nestjs/event-emitter';
import { describe, expect, it } from 'vitest';
import { SimApp } from '../../simulator/core/simulator-state';
import { ManualClock } from '../support/clocks';
import { DINGTALK_HINTS } from '../../src/dingtalk/dingtalk-hints';
import {
  givenMenuReport,
  givenStreamBot,
  givenWebhookBot,
  robotWebhook,
  signedRobotFields,
} from '../support/given';
import { useTestApp } from '../support/use-test-app';
import { waitFor } from '../support/wait-for';

/**
 * A bot's health (docs/bot-health.md) as the API and /metrics show it, learnt from what really happens against the
 * simulator: its Stream connection over real sockets. Time is a ManualClock shared by both, so the slow retry after
 * refused credentials and the settings' unreachable_after_seconds pass when the test says.
 */
describe('bot health: Stream connections', () => {
  const clock = new ManualClock();
  const { sim, t } = useTestApp({
    simulator: { stream: { redeliveryDelayMs: null } },
    clock,
  });

  const status = async (id: number) =>
    (await t.request('GET', `/api/v1/dingtalk-bots/${id}/status`)).body.data as Record<string, unknown>;
  const listed = async (query: string) =>
    ((await t.request('GET', `/api/v1/dingtalk-bots?${query}`)).body.data.items as Array<{ id: number }>).map(
      (bot) => bot.id,
    );
  const healthIs = (id: number, health: string) =>
    waitFor(async () => (await status(id)).health === health, `bot ${id} ${health}`);
  const gauge = async (health: string) => {
    const text = await fetch(`${t.url}/metrics`).then((response) => response.text());
    return Number(
      new RegExp(`^dingtalk_bots_by_health\\{health="${health}"\\} (\\d+)$`, 'm').exec(text)?.[1],
    );
  };
  /** Moves time in 10 s steps with a moment of real time between them (keepalives, reconnects, the aging job). */
  const advance = async (ms: number) => {
    for (let moved = 0; moved < ms; moved += 10_000) {
      await clock.advance(Math.min(10_000, ms - moved));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const connectedBot = async (dingApp: SimApp, storeId: number) => {
    const bot = await givenStreamBot(t, dingApp, { store_id: storeId });
    await waitFor(() => sim.stream.connections(dingApp.clientId).length === 1, 'the connection');
    return bot.id;
  };

  it('shows a bot whose app secret was revoked as broken with the hint, in its status, the lists and /metrics; mended, healthy', async () => {
    const dingApp = sim.state.registerApp();
    const secret = dingApp.clientSecret;
    const id = await connectedBot(dingApp, 301);
    const healthy = await status(id);
    expect(healthy).toMatchObject({ health: 'healthy', health_reason: null, health_hint: null });
    const brokenBefore = await gauge('broken');

    // Revoked in DingTalk's developer console: the connection drops and cannot be opened again.
    dingApp.clientSecret = 'revoked-secret';
    sim.stream.drop(sim.stream.connections(dingApp.clientId)[0].id);
    await healthIs(id, 'degraded');
    await advance(10_000);
    await healthIs(id, 'broken');
    const broken = await status(id);
    expect(broken).toMatchObject({
      connection_status: 'auth_failed',
      health: 'broken',
      health_reason: 'credentials_refused',
      health_hint: expect.stringContaining('client_secret (AppSecret)'),
    });
    expect(broken.health_detail).toMatch(/401/);
    expect(Date.parse(broken.health_since as string)).toBeGreaterThan(
      Date.parse(healthy.health_since as string),
    );
    expect(JSON.stringify(broken)).not.toContain('revoked-secret');
    const bot = (await t.request('GET', `/api/v1/dingtalk-bots/${id}`)).body.data;
    expect(bot).toMatchObject({ health: 'broken', health_reason: 'credentials_refused' });
    expect(await listed('store_id=301&health=broken')).toEqual([id]);
    expect(await listed('store_id=301&health=healthy')).toEqual([]);
    expect(await gauge('broken')).toBe(brokenBefore + 1);

    // The secret is right again: the slow retry after refused credentials (about five minutes) connects.
    dingApp.clientSecret = secret;
    await advance(6 * 60_000);
    await healthIs(id, 'healthy');
    expect(await status(id)).toMatchObject({ connection_status: 'connected', health_reason: null });
    expect(await listed('store_id=301&health=healthy')).toEqual([id]);
    expect(await listed('store_id=301&health=broken')).toEqual([]);
    expect(await gauge('broken')).toBe(brokenBefore);
  });

  it('shows a connection that cannot be made as degraded, broken after unreachable_after_seconds, healthy once it connects', async () => {
    const settings = await t.request('PUT', '/api/v1/bot-health/settings', {
      body: { unreachable_after_seconds: 120 },
    });
    expect(settings.body.data).toMatchObject({
      unreachable_after_seconds: 120,
      updated_by: expect.any(String),
    });
    const dingApp = sim.state.registerApp();
    const id = await connectedBot(dingApp, 302);
    sim.stream.refuseOpen(dingApp.clientId, 1_000, 'http_500');
    sim.stream.drop(sim.stream.connections(dingApp.clientId)[0].id);
    await healthIs(id, 'degraded');
    expect(await status(id)).toMatchObject({
      health_reason: 'reconnecting',
      connection_status: 'reconnecting',
    });
    expect(await listed('store_id=302&health=degraded')).toEqual([id]);

    await advance(2 * 60_000 + 10_000);
    await healthIs(id, 'broken');
    expect(await status(id)).toMatchObject({
      health_reason: 'cannot_connect',
      health_hint: expect.stringContaining('2 minutes'),
    });

    sim.stream.clearRefusals();
    await advance(70_000);
    await healthIs(id, 'healthy');
  });

  it('has nothing wrong with a bot switched off', async () => {
    const dingApp = sim.state.registerApp({ clientSecret: 'right-secret' });
    const bot = await givenStreamBot(t, dingApp, { store_id: 303, client_secret: 'wrong-secret' });
    await healthIs(bot.id, 'broken');
    await t.request('PUT', `/api/v1/dingtalk-bots/${bot.id}`, { body: { is_enabled: false } });
    expect(await status(bot.id)).toMatchObject({ health: 'healthy', connection_status: 'disconnected' });
  });

  it('lets only an admin change the settings, and refuses a value out of range naming it', async () => {
    const storeAdmin = t.token({ role: 'store_admin', store_ids: [1] });
    const refused = await t.request('PUT', '/api/v1/bot-health/settings', {
      token: storeAdmin,
      body: { unreachable_after_seconds: 60 },
    });
    expect(refused.status).toBe(403);
    expect((await t.request('GET', '/api/v1/bot-health/settings', { token: storeAdmin })).status).toBe(200);
    const bad = await t.request('PUT', '/api/v1/bot-health/settings', {
      body: { unreachable_after_seconds: 5 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      { field: 'unreachable_after_seconds', message: expect.stringContaining('from 10 to 86400') },
    ]);
  });

  it('refuses an unknown health filter with a 400 that names it', async () => {
    const response = await t.request('GET', '/api/v1/dingtalk-bots?health=sick');
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'health', message: expect.stringContaining('health') }]);
  });
});

/**
 * What DingTalk answers a bot's sends, against the simulator's custom robots: refused for good, throttled, and the
 * health kept in the database across a restart.
 */
describe('bot health: what DingTalk answers the sends', () => {
  const clock = new ManualClock();
  const { sim, t, restart } = useTestApp({ simulator: true, clock });

  const status = async (id: number) =>
    (await t.request('GET', `/api/v1/dingtalk-bots/${id}/status`)).body.data as Record<string, unknown>;
  const healthIs = (id: number, health: string) =>
    clock.settle(async () => (await status(id)).health === health, `bot ${id} ${health}`);

  it('is broken when DingTalk refuses the sends (robot switched off), stays so across a restart, and is healthy again once the test button gets through', async () => {
    const robot = sim.state.registerRobot({ secret: 'SEC0123456789abcdef0123' });
    const bot = await givenWebhookBot(t, { store_id: 401, ...signedRobotFields(sim, robot) });
    robot.enabled = false;
    await givenMenuReport(t, { store_id: 401 });
    await healthIs(bot.id, 'broken');
    const broken = await status(bot.id);
    expect(broken).toMatchObject({
      health_reason: 'send_refused',
      health_detail: expect.stringContaining('400102'),
      health_hint: DINGTALK_HINTS.robotDisabled,
    });

    await restart();
    expect(await status(bot.id)).toMatchObject({
      health: 'broken',
      health_reason: 'send_refused',
      health_since: broken.health_since,
    });

    robot.enabled = true;
    const test = await t.request('POST', `/api/v1/dingtalk-bots/${bot.id}/test`);
    expect(test.body.data).toMatchObject({ ok: true });
    await healthIs(bot.id, 'healthy');
  });

  it('is degraded while DingTalk throttles its robot, and healthy once the pause is over', async () => {
    const robot = sim.state.registerRobot({ ratePerMinute: 1 });
    const bot = await givenWebhookBot(t, { store_id: 402, webhook: robotWebhook(sim, robot) });
    // Over DingTalk's count (the bot's own window allows more): the second send is throttled.
    await t.request('PUT', `/api/v1/dingtalk-bots/${bot.id}`, { body: { rate_limit_per_minute: 20 } });
    await givenMenuReport(t, { store_id: 402 });
    await givenMenuReport(t, { store_id: 402 });
    await healthIs(bot.id, 'degraded');
    expect(await status(bot.id)).toMatchObject({
      health_reason: 'throttled',
      health_hint: expect.stringContaining('throttling'),
    });
    await clock.advance(10 * 60_000 + 20_000);
    await healthIs(bot.id, 'healthy');
  });
});

/**
 * What a send's answer says of its bot is written in the transaction that records the answer: nothing has to run in
 * the process after the commit (a crash there, a failing listener) for the bot to be broken, and alerted.
 */
describe('bot health: written with the recorded answer', () => {
  const clock = new ManualClock();
  const { sim, t } = useTestApp({ simulator: true, clock });

  it('is broken when DingTalk refuses a send, though nothing in the process runs after the recording (no listener left)', async () => {
    const robot = sim.state.registerRobot();
    const bot = await givenWebhookBot(t, { store_id: 410, webhook: robotWebhook(sim, robot) });
    robot.enabled = false;
    // Every in-process listener gone: the bots' health must not depend on one.
    t.app.get(EventEmitter2).removeAllListeners();
    await givenMenuReport(t, { store_id: 410 });
    await waitFor(
      () => sim.state.received({ target: robot.token }).length === 1,
      'the send DingTalk refused',
    );
    await clock.settle(
      async () =>
        (await t.request('GET', `/api/v1/dingtalk-bots/${bot.id}/status`)).body.data.health === 'broken',
      'the bot broken',
    );
    const status = (await t.request('GET', `/api/v1/dingtalk-bots/${bot.id}/status`)).body.data;
    expect(status).toMatchObject({
      health_reason: 'send_refused',
      health_hint: DINGTALK_HINTS.robotDisabled,
    });
  });
});
