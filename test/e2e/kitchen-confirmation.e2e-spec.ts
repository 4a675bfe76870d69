import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { CreatedBot, givenMenuReport, givenWebhookBot, signedRobotFields } from '../support/given';
import { useTestApp } from '../support/use-test-app';
import { waitFor, waitForValue } from '../support/wait-for';
import { TestApp } from '../support/test-app';
import { Simulator } from '../../simulator/simulator';

/** PUBLIC_URL as staff phones would reach the service (a proxy in front of it); the test calls the app itself. */
const PUBLIC_URL = 'https://notify.example.test';

/** The custom robot of a webhook bot of `storeId`, registered at the simulator. */
async function givenKitchenRobot(t: TestApp, sim: Simulator, storeId: number) {
  const robot = sim.state.registerRobot({ secret: `SECkitchen${storeId}0123456789ab`, keywords: ['报菜'] });
  const bot = await givenWebhookBot(t, {
    name: `厨房群 ${storeId}`,
    store_id: storeId,
    ...signedRobotFields(sim, robot),
  });
  return { robot, bot };
}

async function enableConfirmation(t: TestApp, storeId: number, settings: Record<string, unknown> = {}) {
  const response = await t.request('PUT', `/api/v1/stores/${storeId}/confirmation-settings`, {
    body: { enabled: true, ...settings },
  });
  expect(response.status, response.text).toBe(200);
  return response.body.data as Record<string, unknown>;
}

/** The ActionCard the robot got for `reportId`, its buttons' links on the test's address instead of PUBLIC_URL. */
interface ActionCardBody {
  msgtype: string;
  actionCard?: { text: string; btns: Array<{ title: string; actionURL: string }> };
}

/** The ActionCard the robot got for `reportId`, its buttons' links on the test's address instead of PUBLIC_URL. */
async function actionCardOf(t: TestApp, sim: Simulator, robot: { token: string }, reportId: number) {
  const card = await waitForValue(
    () =>
      sim.state
        .received({ channel: 'robot', target: robot.token, accepted: true })
        .map((m) => m.body as ActionCardBody)
        .find((body) => body.msgtype === 'actionCard' && body.actionCard!.text.includes(`#${reportId}`))
        ?.actionCard,
    `the ActionCard of report ${reportId}`,
  );
  return card.btns.map((button) => ({
    title: button.title,
    publicUrl: button.actionURL,
    url: button.actionURL.replace(PUBLIC_URL, t.url),
  }));
}

const postForm = (url: string, form: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
    signal: AbortSignal.timeout(10_000),
  }).then(async (response) => ({ status: response.status, text: await response.text() }));

describe('kitchen confirmation of a webhook bot, through its links', () => {
  const { t, sim } = useTestApp({ simulator: true, env: { PUBLIC_URL } });
  const reportConfirmation = async (reportId: number) =>
    (await t.request('GET', `/api/v1/menu-reports/${reportId}`)).body.data as {
      confirmation: Record<string, unknown> | null;
      notifications: Array<{ id: number; confirmation: Record<string, unknown> | null }>;
    };

  it('sends an ActionCard whose 收到 link, opened then posted, confirms the report in the API', async () => {
    const { robot } = await givenKitchenRobot(t, sim, 31);
    await enableConfirmation(t, 31);
    const report = await givenMenuReport(t, { store_id: 31, dish_name: '宫保鸡丁', quantity: 8 });
    expect(report.confirmation).toMatchObject({
      status: 'unconfirmed',
      reminder: 'none',
      escalation: 'none',
    });
    expect((report.notifications[0] as { confirmation?: unknown }).confirmation).toMatchObject({
      status: 'unconfirmed',
      action: null,
    });

    const buttons = await actionCardOf(t, sim, robot, report.id);
    expect(buttons.map((b) => b.title)).toEqual(['收到', '已备好']);
    expect(buttons[0].publicUrl).toMatch(/^https:\/\/notify\.example\.test\/c\/[A-Za-z0-9_-]{25}$/);

    // Opening the link (a chat's preview, a browser's prefetch) confirms nothing: it shows a button.
    const page = await fetch(buttons[0].url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('确认「收到」');
    expect(html).toContain('<form method="post"');
    expect((await reportConfirmation(report.id)).confirmation).toMatchObject({ status: 'unconfirmed' });

    const pressed = await postForm(buttons[0].url, { name: '张师傅' });
    expect(pressed.status).toBe(200);
    expect(pressed.text).toContain('已确认「收到」');
    const confirmed = await reportConfirmation(report.id);
    expect(confirmed.confirmation).toMatchObject({
      status: 'confirmed',
      action: 'received',
      by_user_id: 'link',
      by_name: '张师傅',
      via: 'link',
      confirmed_at: expect.any(String),
      seconds_to_confirm: expect.any(Number),
    });
    expect(confirmed.notifications[0].confirmation).toMatchObject({ status: 'confirmed', by_name: '张师傅' });

    // The delivery log shows it and filters by it; so does the reports' list.
    const log = await t.request('GET', '/api/v1/notifications?store_id=31&confirmation=confirmed');
    expect(log.body.data.items.map((n: { id: number }) => n.id)).toEqual([confirmed.notifications[0].id]);
    expect(log.body.data.items[0]).toMatchObject({
      msg_type: 'actionCard',
      confirmation: { status: 'confirmed' },
    });
    const open = await t.request('GET', '/api/v1/notifications?store_id=31&confirmation=unconfirmed');
    expect(open.body.data.items).toEqual([]);
    const reports = await t.request('GET', '/api/v1/menu-reports?store_id=31&confirmation=confirmed');
    expect((reports.body.data.items as Array<{ id: number }>).map((r) => r.id)).toEqual([report.id]);

    // 已备好 afterwards moves the action forward.
    expect((await postForm(buttons[1].url)).status).toBe(200);
    expect((await reportConfirmation(report.id)).confirmation).toMatchObject({
      action: 'ready',
      by_name: null,
    });
  });

  it('keeps link tokens out of the log: whoever reads it cannot confirm a report', async () => {
    const { robot } = await givenKitchenRobot(t, sim, 39);
    await enableConfirmation(t, 39);
    const report = await givenMenuReport(t, { store_id: 39 });
    const [received] = await actionCardOf(t, sim, robot, report.id);
    const token = received.url.split('/c/')[1];
    const before = t.logs.find('request completed').length;
    expect((await fetch(received.url, { signal: AbortSignal.timeout(10_000) })).status).toBe(200);
    expect((await postForm(received.url)).status).toBe(200);
    const linkLines = () =>
      t.logs
        .find('request completed')
        .slice(before)
        .filter((line) => String(line.url).startsWith('/c/'));
    await waitFor(() => linkLines().length >= 2, 'the access log lines of the link');
    expect(linkLines().map((line) => line.url)).toEqual(['/c/[redacted]', '/c/[redacted]']);
    expect(t.logs.text()).not.toContain(token);
  });

  it('counts two presses of one link at once once', async () => {
    const { robot } = await givenKitchenRobot(t, sim, 32);
    await enableConfirmation(t, 32);
    const report = await givenMenuReport(t, { store_id: 32 });
    const [received] = await actionCardOf(t, sim, robot, report.id);
    const answers = await Promise.all([
      postForm(received.url, { name: '甲' }),
      postForm(received.url, { name: '乙' }),
      postForm(received.url, { name: '丙' }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.filter((a) => a.text.includes('谢谢'))).toHaveLength(1);
    const clicks: Array<{ count: string }> = await t.app
      .get(DataSource)
      .query(`SELECT count(*) FROM confirmation_clicks WHERE notification_id = $1`, [
        report.notifications[0].id,
      ]);
    expect(Number(clicks[0].count)).toBe(1);
    const after = await reportConfirmation(report.id);
    const winner = answers.find((a) => a.text.includes('谢谢'))!;
    expect(['甲', '乙', '丙']).toContain(after.confirmation!.by_name);
    expect(answers.filter((a) => a !== winner).every((a) => a.text.includes('无需再次确认'))).toBe(true);
  });

  it('refuses a tampered or unknown link with a page that says so, and records nothing', async () => {
    const { robot } = await givenKitchenRobot(t, sim, 33);
    await enableConfirmation(t, 33);
    const report = await givenMenuReport(t, { store_id: 33 });
    const [received, ready] = await actionCardOf(t, sim, robot, report.id);
    const token = received.url.slice(-25);
    // 收到's link edited into 已备好's: the signature no longer matches.
    const edited = `${t.url}/c/${token.slice(0, 12)}1${token.slice(13)}`;
    expect(edited).not.toBe(ready.url);
    for (const url of [
      edited,
      `${t.url}/c/${token.slice(0, 24)}${token.endsWith('A') ? 'B' : 'A'}`,
      `${t.url}/c/abc`,
    ]) {
      const shown = await fetch(url);
      expect(shown.status, url).toBe(400);
      expect(await shown.text()).toContain('链接无效');
      expect((await postForm(url)).status, url).toBe(400);
    }
    expect((await reportConfirmation(report.id)).confirmation).toMatchObject({ status: 'unconfirmed' });
    // Signed by another key (another deployment's link): refused as well.
    expect((await fetch(`${t.url}/c/AAAAAAAAAAAA0AAAAAAAAAAAA`)).status).toBe(400);
  });

  it('writes the confirmation in the transaction of a report with an Idempotency-Key, and a replay answers it', async () => {
    await givenKitchenRobot(t, sim, 34);
    await enableConfirmation(t, 34);
    const post = () =>
      t.request('POST', '/api/v1/menu-reports', {
        body: { store_id: 34, dish_name: '鱼香肉丝', quantity: 2, unit: '份' },
        headers: { 'idempotency-key': '6f1c0f3e-7a43-4c5e-9a43-3a1f6d2b9e34' },
      });
    const first = await post();
    expect(first.status, first.text).toBe(201);
    expect(first.body.data.confirmation).toMatchObject({ status: 'unconfirmed' });
    expect(first.body.data.notifications[0].confirmation).toMatchObject({ status: 'unconfirmed' });
    const again = await post();
    expect(again.body.data).toEqual(first.body.data);
  });

  it('counts the time to confirm in /metrics, by how it was pressed', async () => {
    const metrics = await t.request('GET', '/metrics', { token: null });
    expect(metrics.text).toMatch(/^menu_report_seconds_to_confirm_count\{via="link"\} [1-9]\d*$/m);
  });

  it('keeps forms away from the API: a form posted to it is still a 415', async () => {
    const response = await t.request('POST', '/api/v1/menu-reports', {
      rawBody: 'store_id=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(415);
  });
});

describe('kitchen confirmation settings', () => {
  const { t } = useTestApp();
  const put = (storeId: number, body: Record<string, unknown>, token?: string) =>
    t.request('PUT', `/api/v1/stores/${storeId}/confirmation-settings`, { body, token });

  it('answers the defaults for a store that set none, and says webhook bots need PUBLIC_URL', async () => {
    const response = await t.request('GET', '/api/v1/stores/41/confirmation-settings');
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({
      store_id: 41,
      enabled: false,
      buttons: [
        { action: 'received', label: '收到' },
        { action: 'ready', label: '已备好' },
      ],
      reminder_after_minutes: null,
      reminder_at_user_ids: [],
      reminder_at_mobiles: [],
      escalation_after_minutes: null,
      escalation_bot_id: null,
      webhook_buttons_unavailable: expect.stringContaining('PUBLIC_URL'),
      updated_at: null,
    });
  });

  it('refuses settings that do not hold together, naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ reminder_after_minutes: 0 }, 'reminder_after_minutes'],
      [{ reminder_after_minutes: 1441 }, 'reminder_after_minutes'],
      [{ reminder_after_minutes: '10' }, 'reminder_after_minutes'],
      [{ buttons: [] }, 'buttons'],
      [{ buttons: [{ action: 'Received!', label: '收到' }] }, 'buttons.0.action'],
      [{ buttons: [{ action: 'received', label: ' ' }] }, 'buttons.0.label'],
      [
        {
          buttons: [
            { action: 'a', label: '甲' },
            { action: 'a', label: '乙' },
          ],
        },
        'buttons',
      ],
      [{ reminder_at_mobiles: ['call me'] }, 'reminder_at_mobiles'],
      [{ reminder_after_minutes: 10, escalation_after_minutes: 10 }, 'escalation_after_minutes'],
      [{ escalation_after_minutes: 20 }, 'escalation_bot_id'],
      [{ escalation_after_minutes: 20, escalation_bot_id: 999999 }, 'escalation_bot_id'],
      [{ enabled: null }, 'enabled'],
    ];
    for (const [body, field] of cases) {
      const response = await put(42, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(
        response.body.errors.map((e: { field: string }) => e.field),
        JSON.stringify(body),
      ).toContain(field);
    }
    // Nothing was kept.
    expect(
      (await t.request('GET', '/api/v1/stores/42/confirmation-settings')).body.data.updated_at,
    ).toBeNull();
  });

  it("lets a store's admin set its own store's, with a bot of its own stores to escalate to", async () => {
    const own = await givenWebhookBot(t, { store_id: 43 });
    const other: CreatedBot = await givenWebhookBot(t, { store_id: 44 });
    const storeAdmin = t.token({ sub: 'manager43', role: 'store_admin', store_ids: [43] });
    expect(
      (await t.request('GET', '/api/v1/stores/44/confirmation-settings', { token: storeAdmin })).status,
    ).toBe(404);
    expect((await put(44, { enabled: true }, storeAdmin)).status).toBe(404);
    const refused = await put(43, { escalation_after_minutes: 20, escalation_bot_id: other.id }, storeAdmin);
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      { field: 'escalation_bot_id', message: `escalation_bot_id: no DingTalk bot ${other.id}` },
    ]);
    const saved = await put(
      43,
      { enabled: true, reminder_after_minutes: 10, escalation_after_minutes: 20, escalation_bot_id: own.id },
      storeAdmin,
    );
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body.data).toMatchObject({
      enabled: true,
      escalation_bot_id: own.id,
      updated_at: expect.any(String),
    });
    // An admin may name any bot.
    expect((await put(43, { escalation_bot_id: other.id })).status).toBe(200);
  });

  it('keeps webhook bots on their usual message without PUBLIC_URL, and the report says why', async () => {
    const bot = await givenWebhookBot(t, { store_id: 45 });
    await put(45, { enabled: true });
    const report = await givenMenuReport(t, { store_id: 45 });
    expect(report.confirmation).toMatchObject({ status: 'not_requested', reminder: 'none' });
    expect(report.notifications).toEqual([
      expect.objectContaining({
        bot_id: bot.id,
        confirmation: expect.objectContaining({
          status: 'not_requested',
          reason: expect.stringContaining('PUBLIC_URL'),
        }),
      }),
    ]);
    const row = await t.request('GET', `/api/v1/notifications/${report.notifications[0].id}`);
    expect(row.body.data.msg_type).toBe('markdown');
  });
});
