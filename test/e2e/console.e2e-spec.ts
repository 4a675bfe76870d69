import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser } from '../support/browser';
import { givenMenuReport, givenStreamBot, givenWebhookBot, robotWebhook } from '../support/given';
import { ROOT_DIR } from '../support/paths';
import { useTestApp } from '../support/use-test-app';
import { waitFor } from '../support/wait-for';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the build script is CommonJS, as npm runs it
const { buildConsole } = require('../../scripts/console-bundle.js') as { buildConsole(): Promise<string> };

/**
 * The screenshots of the main views: into docs/console/ (which docs/console.md shows) with UPDATE_SCREENSHOTS=1,
 * else into .tmp/, so that an ordinary run leaves the committed pictures alone.
 */
const SCREENSHOTS =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? join(ROOT_DIR, 'docs', 'console')
    : join(ROOT_DIR, '.tmp', 'screenshots', 'console');
/** Polls every 3 s; a view shows what changed within a poll or two. */
const LIVE = { timeout: 15_000 };

/**
 * The operations console as a person uses it, in headless Chromium against the service and the DingTalk simulator:
 * HQ finds a broken bot, reads the hint, mends it and resends; a store admin sees its stores only; every step can be
 * done with the keyboard alone. The console talks to the public API only, so what it may do is what the API allows.
 */
describe.skipIf(!browserAvailable)('operations console (headless Chromium)', () => {
  const { t, sim } = useTestApp({ simulator: true });
  let browser: { context: BrowserContext; close(): Promise<void> };

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await buildConsole();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** A fresh tab (sessionStorage is per tab: nobody is signed in), signed in with `token`. */
  async function signedIn(token: string): Promise<Page> {
    const page = await browser.context.newPage();
    await page.goto(`${t.url}/console`);
    await page.locator('textarea[name=token]').fill(token);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('header.top').waitFor();
    return page;
  }

  const heading = (page: Page) => page.locator('main h1').textContent();

  /** What the keyboard test reads of the focused element, inside the page. */
  interface FocusedElement {
    tagName: string;
    textContent: string | null;
    getAttribute(name: string): string | null;
  }

  it('serves the page with a strict Content-Security-Policy and no token', async () => {
    const page = await fetch(`${t.url}/console`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('/console/app.js');
    expect((await fetch(`${t.url}/console/app.js`)).headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${t.url}/console/package.json`)).status).toBe(404);
    expect((await fetch(`${t.url}/console/..%2Fpackage.json`)).status).toBe(404);
  });

  it('HQ finds the store whose robot broke, reads the hint, mends the bot, resends, and sees it sent', async () => {
    const healthy = sim.state.registerRobot({ name: '八号店后厨', secret: 'SECeight0123456789' });
    await givenWebhookBot(t, {
      name: '八号店后厨群',
      store_id: 8,
      webhook: robotWebhook(sim, healthy),
      secret: healthy.secret,
    });
    await givenMenuReport(t, { store_id: 8 });

    const robot = sim.state.registerRobot({ name: '七号店后厨', secret: 'SECseven0123456789' });
    const bot = await givenWebhookBot(t, {
      name: '七号店后厨群',
      store_id: 7,
      webhook: robotWebhook(sim, robot),
      secret: robot.secret,
    });
    // The robot's secret is reset in DingTalk (the simulator's control API registers it again with a new one).
    const reset = await fetch(`${sim.url}/_sim/robots`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: robot.token, name: '七号店后厨', secret: 'SECreset9876543210' }),
    });
    expect(reset.status).toBe(201);
    const report = await givenMenuReport(t, { store_id: 7, dish_name: '鱼香肉丝', quantity: 8 });
    const notificationId = report.notifications[0].id;
    await waitFor(
      async () =>
        (await t.request('GET', `/api/v1/notifications/${notificationId}`)).body.data.status === 'failed',
      'the refused notification',
    );

    const page = await signedIn(t.token({ sub: 'hq-ops', role: 'admin' }));
    await expect.poll(() => heading(page)).toBe('全部门店');
    // Worst first: the store with today's failure leads.
    const first = page.locator('tbody tr').first();
    await expect.poll(() => first.getAttribute('data-store'), LIVE).toBe('7');
    await expect(first.locator('td').nth(3).textContent()).resolves.toBe('1');
    await page.screenshot({ path: join(SCREENSHOTS, 'hq-stores.png') });

    await first.getByRole('link', { name: '门店 7' }).click();
    await expect.poll(() => heading(page)).toBe('门店 7');
    const card = page.locator(`section[data-bot="${bot.id}"]`);
    await card.getByRole('button', { name: '发送测试消息' }).click();
    const answer = card.locator('.test-result');
    await expect(answer.textContent()).resolves.toContain('钉钉拒绝了测试消息');
    await expect(answer.locator('.mono').textContent()).resolves.toContain('errcode 310000');
    await expect(answer.locator('.hint').textContent()).resolves.toContain("check the bot's secret");
    await page.screenshot({ path: join(SCREENSHOTS, 'store-bot-test.png'), fullPage: true });

    // Mend: the new secret into the bot, through the edit form.
    await card.getByRole('link', { name: '编辑' }).click();
    await page.locator('input[name=secret]').fill('SECreset9876543210');
    await page.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => heading(page)).toBe('门店 7');
    await page.locator(`section[data-bot="${bot.id}"]`).getByRole('button', { name: '发送测试消息' }).click();
    await expect(page.locator(`section[data-bot="${bot.id}"] .test-result`).textContent()).resolves.toContain(
      '钉钉已接收测试消息',
    );

    // The failed notification, from the log filtered to store 7's failures; its attempt and hint; resend.
    await page.goto(`${t.url}/console#/log?store_id=7&status=failed`);
    const row = page.locator(`tr[data-notification="${notificationId}"]`);
    await row.getByRole('link', { name: String(notificationId), exact: true }).click();
    await expect.poll(() => heading(page)).toBe(`通知 ${notificationId}`);
    await expect(page.locator('table tbody tr').first().textContent()).resolves.toContain('errcode 310000');
    await expect(page.locator('.hint').first().textContent()).resolves.toContain("check the bot's secret");
    await page.getByRole('button', { name: '重新发送' }).click();
    await expect.poll(() => page.locator('.card .badge').first().textContent(), LIVE).toBe('已发送');
    await expect.poll(() => page.locator('table tbody tr').count(), LIVE).toBe(2);
    await page.screenshot({ path: join(SCREENSHOTS, 'notification-resent.png'), fullPage: true });
    expect(sim.state.received({ target: robot.token, accepted: true }).length).toBeGreaterThanOrEqual(2);

    // Back in HQ's view, live (without a reload): its failure was sent after all (test presses are not counted).
    await page.getByRole('link', { name: '门店', exact: true }).click();
    await expect.poll(() => page.locator('tr[data-store="7"] td').nth(3).textContent(), LIVE).toBe('0');
    await expect(page.locator('tr[data-store="7"] td').nth(4).textContent()).resolves.toBe('1');
    await page.close();
  });

  it('shows a stream bot whose app secret was revoked as broken with the hint, and healthy once mended', async () => {
    const app = sim.state.registerApp();
    const bot = await givenStreamBot(t, app, { name: '九号店应用机器人', store_id: 9 });
    await waitFor(() => sim.stream.connections(app.clientId).length === 1, 'the Stream connection');
    // The AppSecret is reset in DingTalk's developer console: the old one is refused from now on.
    const regenerated = 'regenerated-app-secret-0123456789';
    app.clientSecret = regenerated;
    sim.stream.drop(sim.stream.connections(app.clientId)[0].id);

    const page = await signedIn(t.token({ sub: 'hq-ops', role: 'admin' }));
    const row = page.locator('tr[data-store="9"]');
    // The connection drops, and opening it again is refused (reconnect backoff with jitter: a few seconds).
    const health = async () =>
      (await t.request('GET', `/api/v1/dingtalk-bots/${bot.id}/status`)).body.data.health;
    await waitFor(async () => (await health()) === 'broken', 'the bot broken', 45_000);
    await expect.poll(() => row.locator('.badge').first().textContent(), LIVE).toBe('故障');
    await expect.poll(() => page.locator('tbody tr').first().getAttribute('data-store')).toBe('9');
    await expect(row.textContent()).resolves.toContain('credentials_refused');
    await row.getByRole('link', { name: '门店 9' }).click();
    const card = page.locator(`section[data-bot="${bot.id}"]`);
    await expect(card.locator('.hint').first().textContent()).resolves.toContain('client_secret (AppSecret)');
    await card.getByRole('link', { name: '编辑' }).click();
    await page.locator('input[name=client_secret]').fill(regenerated);
    await page.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => heading(page)).toBe('门店 9');
    await expect
      .poll(() => page.locator(`section[data-bot="${bot.id}"] .badge`).first().textContent(), {
        timeout: 30_000,
      })
      .toBe('正常');
    await page.close();
  }, 120_000);

  it('a store admin, with a token HQ made on the tokens page, sees its store only', async () => {
    const hq = await signedIn(t.token({ sub: 'hq-ops', role: 'admin' }));
    await hq.getByRole('link', { name: '令牌' }).click();
    await hq.locator('input[name=sub]').fill('store-8-manager');
    await hq.locator('input[name=store_ids]').fill('8');
    await hq.getByRole('button', { name: '生成' }).click();
    const token = await hq.locator('textarea[name=minted]').inputValue();
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    await hq.close();

    const page = await signedIn(token);
    await expect.poll(() => heading(page)).toBe('我的门店');
    await expect
      .poll(() =>
        page.locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-store'))),
      )
      .toEqual(['8']);
    await expect(page.getByRole('link', { name: '令牌' }).count()).resolves.toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'store-admin.png') });

    // Another store's bot and notification: the API answers 404, the console says so.
    const other = (await t.request('GET', '/api/v1/dingtalk-bots?store_id=7')).body.data.items[0] as {
      id: number;
    };
    await page.goto(`${t.url}/console#/bots/${other.id}`);
    await expect(page.locator('[role=alert]').textContent()).resolves.toContain('未找到');
    const theirs = (await t.request('GET', '/api/v1/notifications?store_id=7')).body.data.items[0] as {
      id: number;
    };
    await page.goto(`${t.url}/console#/notifications/${theirs.id}`);
    await expect(page.locator('[role=alert]').textContent()).resolves.toContain('未找到');
    await page.goto(`${t.url}/console#/log`);
    await expect.poll(() => page.locator('tbody tr').count()).toBeGreaterThan(0);
    const stores = await page.locator('tbody tr td:nth-child(3)').allTextContents();
    expect(new Set(stores)).toEqual(new Set(['8']));
    await page.close();
  });

  it("HQ revokes a store manager's token on the tokens page: the manager's tab is signed out", async () => {
    // HQ's own token has two days left: the week asked for is shortened to those two days, and the page says so.
    const hq = await signedIn(t.token({ sub: 'hq-revoker', role: 'admin' }, 2 * 24 * 3600));
    await hq.getByRole('link', { name: '令牌' }).click();
    await hq.locator('input[name=sub]').fill('store-9-manager');
    await hq.locator('input[name=store_ids]').fill('9');
    await hq.getByRole('button', { name: '生成' }).click();
    const token = await hq.locator('textarea[name=minted]').inputValue();
    await expect(hq.locator('[data-capped]').textContent()).resolves.toContain('已缩短');

    const manager = await signedIn(token);
    await expect.poll(() => heading(manager)).toBe('我的门店');

    const row = hq.locator('tbody tr', { hasText: 'store-9-manager' });
    await expect.poll(() => row.locator('.badge').textContent(), LIVE).toBe('有效');
    await expect(row.textContent()).resolves.toContain('hq-revoker');
    await row.getByRole('button', { name: '撤销' }).click();
    await row.getByRole('button', { name: '确认撤销 store-9-manager 的令牌' }).click();
    await expect.poll(() => row.locator('.badge').textContent(), LIVE).toBe('已撤销');
    // The list only: the token shown above once is no picture for the docs.
    await hq.locator('table').screenshot({ path: join(SCREENSHOTS, 'tokens-revoked.png') });
    // Filtered to the revoked: it is there, with who revoked it.
    await hq.locator('select[name=status]').selectOption('revoked');
    await expect.poll(() => hq.locator('tbody tr').first().textContent(), LIVE).toContain('store-9-manager');

    // The manager's next poll is refused: signed out, told why.
    await expect.poll(() => manager.locator('main.signin p.error').count(), LIVE).toBe(1);
    await expect(manager.locator('main.signin p.error').textContent()).resolves.toContain('已被撤销');
    await hq.close();
    await manager.close();
  });

  it('works with the keyboard alone: sign in, move between views, filter the log, preview a template', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${t.url}/console`);
    const focused = () =>
      page.evaluate(() => {
        const element = (globalThis as unknown as { document: { activeElement: FocusedElement | null } })
          .document.activeElement;
        return `${element?.tagName ?? ''} ${element?.getAttribute('name') ?? ''} ${element?.textContent?.trim() ?? ''}`;
      });
    /** Presses Tab until the focused element matches, as a person would look for it; fails if it is not reachable. */
    const tabTo = async (pattern: RegExp) => {
      for (let presses = 0; presses < 60; presses++) {
        if (pattern.test(await focused())) return;
        await page.keyboard.press('Tab');
      }
      throw new Error(`not reachable with Tab: ${String(pattern)} (focus on: ${await focused()})`);
    };

    await tabTo(/^TEXTAREA token/);
    await page.keyboard.type(t.token({ sub: 'hq-keyboard', role: 'admin' }));
    await tabTo(/^BUTTON\s+登录/);
    await page.keyboard.press('Enter');
    await page.locator('header.top').waitFor();
    await expect.poll(focused).toMatch(/^H1 .*全部门店/);

    await tabTo(/^A .*跳到主要内容/);
    await tabTo(/^A .*发送记录$/);
    await page.keyboard.press('Enter');
    await expect.poll(focused).toMatch(/^H1 .*发送记录/);
    await tabTo(/^SELECT status/);
    // all, pending, retrying, sent, failed, merged, skipped: from the last, three up
    await page.keyboard.press('End');
    for (let up = 0; up < 3; up++) await page.keyboard.press('ArrowUp');
    await tabTo(/^INPUT store_id/);
    await page.keyboard.type('8');
    await page.keyboard.press('Enter');
    await expect
      .poll(() =>
        page.evaluate(() => (globalThis as unknown as { location: { hash: string } }).location.hash),
      )
      .toBe('#/log?status=sent&store_id=8');

    await tabTo(/^A .*消息模板$/);
    await page.keyboard.press('Enter');
    await tabTo(/^A .*新建模板/);
    await page.keyboard.press('Enter');
    await tabTo(/^INPUT name/);
    await page.keyboard.type('厨房群简报');
    await tabTo(/^TEXTAREA body/);
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n- 备注：{{remark}}');
    await expect.poll(() => page.locator('#preview-text').textContent(), LIVE).toContain('备注：');
    await expect(page.locator('#preview-size').textContent()).resolves.toMatch(/^\d+ 字节 \/ 20000$/);
    await page.screenshot({ path: join(SCREENSHOTS, 'template-preview.png') });
    await tabTo(/^BUTTON\s+保存/);
    await page.keyboard.press('Enter');
    await expect.poll(focused).toMatch(/^H1 .*消息模板/);
    await expect(page.locator('tbody tr').first().textContent()).resolves.toContain('厨房群简报');
    await page.close();
  });
});
