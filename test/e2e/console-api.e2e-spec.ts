import { describe, expect, it } from 'vitest';
import { dayIn } from '../../src/daily-summary/report-day';
import { givenMenuReport, givenRobotAnswers, givenWebhookBot, robotWebhook } from '../support/given';
import { waitForValue } from '../support/wait-for';
import { useTestApp } from '../support/use-test-app';

/** The routes the console needs besides the existing ones: the stores at a glance, a day filter, a draft preview. */
describe('API for the console', () => {
  const { t, sim } = useTestApp({ simulator: true });

  const notificationStatus = (id: number, wanted: string) =>
    waitForValue(async () => {
      const response = await t.request('GET', `/api/v1/notifications/${id}`);
      return response.body.data.status === wanted;
    }, `notification ${id} ${wanted}`);

  describe('GET /api/v1/stores', () => {
    it('lists every store with bots or notifications, those needing a look first, scoped to the caller', async () => {
      const good = sim.state.registerRobot({ name: '一号店' });
      const goodBot = await givenWebhookBot(t, { store_id: 1, webhook: robotWebhook(sim, good) });
      const sent = await givenMenuReport(t, { store_id: 1 });
      await notificationStatus(sent.notifications[0].id, 'sent');

      // A robot DingTalk does not know: a permanent error, failed at once.
      const brokenBot = await givenWebhookBot(t, {
        store_id: 2,
        webhook: robotWebhook(sim, { token: 'f'.repeat(64) }),
      });
      const failed = await givenMenuReport(t, { store_id: 2 });
      await notificationStatus(failed.notifications[0].id, 'failed');
      // Test presses are no deliveries of the store's: they count neither as sent nor as failed.
      for (const [bot, ok] of [
        [goodBot, true],
        [brokenBot, false],
      ] as const) {
        const pressed = await t.request('POST', `/api/v1/dingtalk-bots/${bot.id}/test`);
        expect(pressed.body.data).toMatchObject({ ok });
      }

      const idle = sim.state.registerRobot({ name: '三号店' });
      await givenWebhookBot(t, { store_id: 3, is_enabled: false, webhook: robotWebhook(sim, idle) });

      // Throttled by DingTalk: the bot pauses for 10 minutes and its notification waits.
      const busy = sim.state.registerRobot({ name: '四号店' });
      await givenWebhookBot(t, { store_id: 4, webhook: robotWebhook(sim, busy) });
      givenRobotAnswers(sim, 410100, 'send too fast, exceed 20 times per minute');
      const waiting = await givenMenuReport(t, { store_id: 4 });
      await waitForValue(async () => {
        const response = await t.request('GET', `/api/v1/notifications/${waiting.notifications[0].id}`);
        return response.body.data.attempts.length > 0 || response.body.data.last_error !== null;
      }, 'the throttled attempt');

      // Each bot's health is counted per store (docs/bot-health.md): 2's refused for good, 4's throttled.
      await waitForValue(async () => {
        const items = (await t.request('GET', '/api/v1/stores')).body.data.items as Array<
          Record<string, number>
        >;
        const of = (id: number) => items.find((store) => store.store_id === id);
        return of(2)?.broken_bots === 1 && of(4)?.degraded_bots === 1;
      }, 'the health of stores 2 and 4 counted');
      const all = await t.request('GET', '/api/v1/stores');
      expect(all.status).toBe(200);
      expect(all.body.data).toEqual({
        items: [
          {
            store_id: 2,
            bots: 1,
            enabled_bots: 1,
            broken_bots: 1,
            degraded_bots: 0,
            pending: 0,
            failed_today: 1,
            sent_today: 0,
          },
          {
            store_id: 4,
            bots: 1,
            enabled_bots: 1,
            broken_bots: 0,
            degraded_bots: 1,
            pending: 1,
            failed_today: 0,
            sent_today: 0,
          },
          {
            store_id: 1,
            bots: 1,
            enabled_bots: 1,
            broken_bots: 0,
            degraded_bots: 0,
            pending: 0,
            failed_today: 0,
            sent_today: 1,
          },
          {
            store_id: 3,
            bots: 1,
            enabled_bots: 0,
            broken_bots: 0,
            degraded_bots: 0,
            pending: 0,
            failed_today: 0,
            sent_today: 0,
          },
        ],
        total: 4,
        page: 1,
        page_size: 20,
      });
      const second = await t.request('GET', '/api/v1/stores?page=2&page_size=3');
      expect(second.body.data.items.map((store: { store_id: number }) => store.store_id)).toEqual([3]);

      const manager = t.token({ sub: 'mgr', role: 'store_admin', store_ids: [1, 3] });
      const mine = await t.request('GET', '/api/v1/stores', { token: manager });
      expect(mine.body.data.items.map((store: { store_id: number }) => store.store_id)).toEqual([1, 3]);
      const other = await t.request('GET', '/api/v1/stores?store_id=2', { token: manager });
      expect(other.body.data).toMatchObject({ items: [], total: 0 });
      const one = await t.request('GET', '/api/v1/stores?store_id=2');
      expect(one.body.data.items).toEqual([all.body.data.items[0]]);
    });

    it('refuses a bad store_id with a 400 naming it', async () => {
      const response = await t.request('GET', '/api/v1/stores?store_id=x');
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([{ field: 'store_id', message: expect.any(String) }]);
    });
  });

  describe('GET /api/v1/notifications?date_from&date_to', () => {
    it('keeps the notifications made on those days of the stores (REPORT_TIMEZONE)', async () => {
      const today = dayIn(Date.now(), t.config.reportTimeZone);
      const yesterday = dayIn(Date.now() - 86_400_000, t.config.reportTimeZone);
      const all = await t.request('GET', '/api/v1/notifications');
      expect(all.body.data.total).toBeGreaterThan(0);
      const fromToday = await t.request('GET', `/api/v1/notifications?date_from=${today}&date_to=${today}`);
      expect(fromToday.body.data.total).toBe(all.body.data.total);
      const untilYesterday = await t.request('GET', `/api/v1/notifications?date_to=${yesterday}`);
      expect(untilYesterday.body.data.total).toBe(0);
      const bad = await t.request('GET', '/api/v1/notifications?date_from=2026-02-30');
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([{ field: 'date_from', message: 'date_from must be a real date' }]);
    });
  });

  describe('POST /api/v1/message-templates/preview', () => {
    it('renders a template not saved yet with the sample values, and gives its size', async () => {
      const manager = t.token({ sub: 'mgr', role: 'store_admin', store_ids: [1] });
      const response = await t.request('POST', '/api/v1/message-templates/preview', {
        token: manager,
        body: {
          title: '报菜：{{dish_name}}',
          body: '#### {{dish_name}} × {{quantity}}{{unit}}',
          values: { unit: '斤' },
        },
      });
      expect(response.status).toBe(200);
      expect(response.body.data).toEqual({
        msg_type: 'markdown',
        title: expect.stringMatching(/^报菜：.+/),
        text: expect.stringMatching(/^#### .+ × .+斤$/),
        byte_size: Buffer.byteLength(response.body.data.text as string),
        over_limit: false,
      });
      expect((await t.request('GET', '/api/v1/message-templates')).body.data.total).toBe(0);
    });

    it('refuses an unknown variable as saving would, naming the field', async () => {
      const response = await t.request('POST', '/api/v1/message-templates/preview', {
        body: { title: 'x', body: '{{price}}' },
      });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        { field: 'body', message: expect.stringMatching(/^unknown variable \{\{price\}\}/) },
      ]);
      const missing = await t.request('POST', '/api/v1/message-templates/preview', { body: { title: 'x' } });
      expect(missing.body.errors.map((error: { field: string }) => error.field)).toEqual(['body']);
    });
  });
});

describe('conditional GETs under /api/v1 (the console polls)', () => {
  const { t } = useTestApp();

  it('answers 304 without a body while nothing changed, and the new body once something did', async () => {
    const first = await t.request('GET', '/api/v1/dingtalk-bots');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^W\/"[\w-]+"$/);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    const same = await t.request('GET', '/api/v1/dingtalk-bots', { headers: { 'if-none-match': etag! } });
    expect(same.status).toBe(304);
    expect(same.text).toBe('');

    await givenWebhookBot(t, { store_id: 1 });
    const changed = await t.request('GET', '/api/v1/dingtalk-bots', { headers: { 'if-none-match': etag! } });
    expect(changed.status).toBe(200);
    expect(changed.body.data.total).toBe(1);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('gives another caller its own answer: the tag is of the body that caller would get', async () => {
    const admin = await t.request('GET', '/api/v1/dingtalk-bots');
    const other = await t.request('GET', '/api/v1/dingtalk-bots', {
      token: t.token({ sub: 'mgr', role: 'store_admin', store_ids: [9] }),
      headers: { 'if-none-match': admin.headers.get('etag')! },
    });
    expect(other.status).toBe(200);
    expect(other.body.data.total).toBe(0);
  });
});
