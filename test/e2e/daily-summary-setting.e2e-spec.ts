import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../support/clocks';
import { insertReports } from '../support/daily-summary';
import { useTestApp } from '../support/use-test-app';
import { BotFields, givenWebhookBot } from '../support/given';

const WEBHOOK = 'https://oapi.dingtalk.com/robot/send?access_token=1a2b3c4d5e6f7a8b9c0d';

/**
 * The daily summary's setting on a bot, its preview and its templates (the summary going out is in
 * daily-summary-delivery.e2e-spec.ts). REPORT_TIMEZONE is the default, Asia/Shanghai (UTC+8).
 */
describe('daily summary: the bot setting, the preview and summary templates', () => {
  // 21:00 on 2026-11-24 in Shanghai.
  const clock = new ManualClock(Date.parse('2026-11-24T13:00:00Z'));
  const { t } = useTestApp({ clock });

  const createBot = (body: BotFields) => givenWebhookBot(t, { webhook: WEBHOOK, ...body });
  const preview = async (botId: number, query = '', token?: string) =>
    t.request('GET', `/api/v1/dingtalk-bots/${botId}/daily-summary${query}`, { token });

  it('sets daily_summary_at on create and update, shows it, turns it off with null', async () => {
    const bot = await createBot({ store_id: 1, daily_summary_at: '21:30' });
    expect(bot.daily_summary_at).toBe('21:30');
    expect((await t.request('GET', `/api/v1/dingtalk-bots/${bot.id}`)).body.data.daily_summary_at).toBe(
      '21:30',
    );

    const changed = await t.request('PUT', `/api/v1/dingtalk-bots/${bot.id}`, {
      body: { daily_summary_at: '00:00' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.data.daily_summary_at).toBe('00:00');
    const off = await t.request('PUT', `/api/v1/dingtalk-bots/${bot.id}`, {
      body: { daily_summary_at: null },
    });
    expect(off.body.data.daily_summary_at).toBeNull();
    const [row] = await t.app
      .get(DataSource)
      .query('SELECT daily_summary_at, daily_summary_since FROM ding_talk_bots WHERE id = $1', [bot.id]);
    expect(row).toEqual({ daily_summary_at: null, daily_summary_since: null });
    // Untouched by other changes.
    const plain = await createBot({ store_id: 1 });
    expect(plain.daily_summary_at).toBeNull();
  });

  it('records when the setting started: switched on, changed, or the bot enabled — not on other changes', async () => {
    const data = t.app.get(DataSource);
    const since = async (id: number) =>
      (
        (await data.query('SELECT daily_summary_since FROM ding_talk_bots WHERE id = $1', [id]))[0]
          .daily_summary_since as Date | null
      )?.toISOString() ?? null;
    const update = (id: number, body: unknown) => t.request('PUT', `/api/v1/dingtalk-bots/${id}`, { body });

    const bot = await createBot({ store_id: 1, daily_summary_at: '21:30' });
    expect(await since(bot.id)).toBe('2026-11-24T13:00:00.000Z');
    clock.set(Date.parse('2026-11-24T13:05:00Z'));
    await update(bot.id, { name: 'renamed', daily_summary_at: '21:30' });
    expect(await since(bot.id)).toBe('2026-11-24T13:00:00.000Z');
    await update(bot.id, { daily_summary_at: '22:00' });
    expect(await since(bot.id)).toBe('2026-11-24T13:05:00.000Z');
    clock.set(Date.parse('2026-11-24T13:10:00Z'));
    await update(bot.id, { is_enabled: false });
    expect(await since(bot.id)).toBe('2026-11-24T13:05:00.000Z');
    clock.set(Date.parse('2026-11-24T13:20:00Z'));
    await update(bot.id, { is_enabled: true });
    expect(await since(bot.id)).toBe('2026-11-24T13:20:00.000Z');
    clock.set(Date.parse('2026-11-24T13:00:00Z'));
  });

  it.each([['24:00'], ['9:30'], ['21:60'], ['21:30:00'], [''], [2130], [true]])(
    'refuses daily_summary_at %j with a 400 naming the field',
    async (value) => {
      const response = await t.request('POST', '/api/v1/dingtalk-bots', {
        body: { name: 'x', store_id: 1, webhook: WEBHOOK, daily_summary_at: value },
      });
      expect(response.status).toBe(400);
      expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(
        'daily_summary_at',
      );
    },
  );

  it('previews a day: totals per dish and unit of the store’s reports that day in REPORT_TIMEZONE, nothing else', async () => {
    const bot = await createBot({ store_id: 51, daily_summary_at: '21:30' });
    await insertReports(t, [
      // 2026-11-23T16:00Z is the first instant of 2026-11-24 in Shanghai; the second before is the 23rd.
      { storeId: 51, dishName: '宫保鸡丁', quantity: 1, unit: '份', at: '2026-11-23T15:59:59Z' },
      {
        storeId: 51,
        dishName: '宫保鸡丁',
        quantity: 50,
        unit: '份',
        reportedBy: '张师傅',
        at: '2026-11-23T16:00:00Z',
      },
      {
        storeId: 51,
        dishName: '宫保鸡丁',
        quantity: 70,
        unit: '份',
        reportedBy: '李师傅',
        at: '2026-11-24T09:15:00Z',
      },
      {
        storeId: 51,
        dishName: '米饭',
        quantity: 2.5,
        unit: '斤',
        reportedBy: '张师傅',
        at: '2026-11-24T04:00:00Z',
      },
      {
        storeId: 51,
        dishName: '米饭',
        quantity: 10,
        unit: '斤',
        reportedBy: '张师傅',
        at: '2026-11-24T15:59:59Z',
      },
      {
        storeId: 51,
        dishName: '米饭',
        quantity: 3,
        unit: '碗',
        reportedBy: '王店长',
        at: '2026-11-24T05:00:00Z',
      },
      // The next day in Shanghai, and another store.
      { storeId: 51, dishName: '宫保鸡丁', quantity: 9, unit: '份', at: '2026-11-24T16:00:00Z' },
      { storeId: 52, dishName: '宫保鸡丁', quantity: 9, unit: '份', at: '2026-11-24T09:00:00Z' },
    ]);

    const response = await preview(bot.id, '?date=2026-11-24');
    expect(response.status, response.text).toBe(200);
    const text = [
      '#### 报菜日报 · 门店 51 · 2026-11-24',
      '- 宫保鸡丁 120 份',
      '- 米饭 12.5 斤',
      '- 米饭 3 碗',
      '',
      '> 共 5 条报菜，3 位报菜人；首条 00:00，末条 23:59',
    ].join('\n');
    expect(response.body.data).toEqual({
      bot_id: bot.id,
      date: '2026-11-24',
      msg_type: 'markdown',
      title: '报菜日报：门店 51 2026-11-24',
      text,
      byte_size: Buffer.byteLength(text),
      parts: 1,
    });
    // Without a date: today in REPORT_TIMEZONE by the service's clock (21:00 on the 24th in Shanghai).
    expect((await preview(bot.id)).body.data.text).toBe(text);
    // A day without reports is one line.
    const empty = await preview(bot.id, '?date=2026-11-22');
    expect(empty.body.data.text).toBe('#### 报菜日报 · 门店 51 · 2026-11-22：当日无报菜');
  });

  it('previews a long day in numbered parts, as it would be sent', async () => {
    const bot = await createBot({ store_id: 53, msg_type: 'text' });
    const name = (index: number) => `${String(index).padStart(3, '0')}${'长'.repeat(90)}`;
    await insertReports(
      t,
      Array.from({ length: 80 }, (_, index) => ({
        storeId: 53,
        dishName: name(index),
        quantity: 1,
        unit: '份',
        at: '2026-11-24T04:00:00Z',
      })),
    );
    const response = await preview(bot.id, '?date=2026-11-24');
    expect(response.body.data.byte_size).toBeGreaterThan(20_000);
    expect(response.body.data.parts).toBe(2);
  });

  it('answers a bad date with a 400 naming the field, and hides other stores’ bots', async () => {
    const bot = await createBot({ store_id: 54 });
    for (const date of ['2026-13-01', '2026-02-30', '24.11.2026', '']) {
      const response = await preview(bot.id, `?date=${date}`);
      expect(response.status, date).toBe(400);
      expect(response.body.errors.map((error: { field: string }) => error.field)).toEqual(['date']);
    }
    const stranger = t.token({ role: 'store_admin', store_ids: [55] });
    const hidden = await preview(bot.id, '?date=2026-11-24', stranger);
    expect(hidden.status).toBe(404);
    expect(hidden.body.msg).toBe(`DingTalk bot ${bot.id} not found`);
    const own = t.token({ role: 'store_admin', store_ids: [54] });
    expect((await preview(bot.id, '?date=2026-11-24', own)).status).toBe(200);
    expect((await preview(999_999, '?date=2026-11-24')).status).toBe(404);
  });

  it('renders through a bot’s summary template, whose variables are the summary’s; its reports keep the built-in message', async () => {
    const wrong = await t.request('POST', '/api/v1/message-templates', {
      body: { name: 'x', store_id: 56, purpose: 'daily_summary', title: '日报', body: '{{dish_name}}' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0]).toEqual({
      field: 'body',
      message: expect.stringContaining('known: store_id, date, totals, report_count'),
    });
    const created = await t.request('POST', '/api/v1/message-templates', {
      body: {
        name: '日报模板',
        store_id: 56,
        purpose: 'daily_summary',
        msg_type: 'text',
        title: '报菜日报 {{date}}',
        body: '门店{{store_id}}：{{report_count}} 条，{{reporter_count}} 人，{{first_report_at}}–{{last_report_at}}\n{{totals}}',
      },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body.data.purpose).toBe('daily_summary');
    const templatePreview = await t.request(
      'POST',
      `/api/v1/message-templates/${created.body.data.id}/preview`,
      {
        body: {},
      },
    );
    expect(templatePreview.body.data.text).toBe(
      '门店1：8 条，3 人，10:02–20:41\n- 宫保鸡丁 120 份\n- 米饭 12.5 斤',
    );

    const bot = await createBot({
      store_id: 56,
      template_id: created.body.data.id,
      daily_summary_at: '21:30',
    });
    await insertReports(t, [
      {
        storeId: 56,
        dishName: '米饭',
        quantity: 2,
        unit: '斤',
        reportedBy: '张师傅',
        at: '2026-11-24T02:30:00Z',
      },
    ]);
    const response = await preview(bot.id, '?date=2026-11-24');
    expect(response.body.data).toMatchObject({
      msg_type: 'text',
      title: '报菜日报 2026-11-24',
      text: '门店56：1 条，1 人，10:30–10:30\n米饭 2 斤',
    });

    const report = await t.request('POST', '/api/v1/menu-reports', {
      body: { store_id: 56, dish_name: '宫保鸡丁', quantity: 5, unit: '份' },
    });
    expect(report.status).toBe(201);
    const [row] = await t.app
      .get(DataSource)
      .query('SELECT kind, msg_type, title FROM notifications WHERE menu_report_id = $1', [
        report.body.data.id,
      ]);
    expect(row).toEqual({ kind: 'menu_report', msg_type: 'markdown', title: '报菜通知：宫保鸡丁 5 份' });
  });

  it('filters the delivery log by kind, and refuses an unknown kind', async () => {
    const summaries = await t.request('GET', '/api/v1/notifications?kind=daily_summary');
    expect(summaries.status).toBe(200);
    expect(summaries.body.data.items).toEqual([]);
    const reports = await t.request('GET', '/api/v1/notifications?kind=menu_report');
    expect(reports.body.data.total).toBeGreaterThan(0);
    expect(new Set(reports.body.data.items.map((row: { kind: string }) => row.kind))).toEqual(
      new Set(['menu_report']),
    );
    const bad = await t.request('GET', '/api/v1/notifications?kind=summary');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('kind');
  });
});
