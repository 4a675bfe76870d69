import { DataSource } from 'typeorm';
import { beforeAll, describe, expect, it } from 'vitest';
import { IdempotencyExpiryJob } from '../../src/idempotency/idempotency-expiry.job';
import { ManualClock } from '../support/clocks';
import { TestResponse } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { useTestApp } from '../support/use-test-app';
import { givenWebhookBot, robotWebhook } from '../support/given';

const DAY_MS = 24 * 60 * 60_000;

/**
 * Idempotency-Key on the two POSTs that send something (draft-ietf-httpapi-idempotency-key-header, Stripe's
 * idempotent requests): a retry of the same request answers the first result again and nothing is sent twice,
 * through HTTP and the simulator's robots; the key is per caller; another body under the same key is a 422;
 * concurrent requests with one key make one report.
 */
describe('Idempotency-Key', () => {
  const { sim, t } = useTestApp({ simulator: true });
  let db: DataSource;
  const robots: string[] = [];
  const STORE = 7;

  beforeAll(async () => {
    db = t.app.get(DataSource);
    for (const name of ['kitchen', 'front']) {
      const robot = sim.state.registerRobot();
      robots.push(robot.token);
      await givenWebhookBot(t, {
        name,
        store_id: STORE,
        msg_type: 'text',
        webhook: robotWebhook(sim, robot),
      });
    }
  });

  const report = (dish: string) => ({ store_id: STORE, dish_name: dish, quantity: 3, unit: '份' });
  const postReport = (body: unknown, key?: string, token?: string) =>
    t.request('POST', '/api/v1/menu-reports', {
      body,
      token,
      headers: key === undefined ? {} : { 'idempotency-key': key },
    });
  const reportCount = async () => Number((await db.query('SELECT count(*) AS n FROM menu_reports'))[0].n);
  const received = (token: string, fragment: string) =>
    sim.state.received({ target: token, accepted: true }).filter((m) => (m.text ?? '').includes(fragment));
  const expectEnvelope = (response: TestResponse, status: number, msg: RegExp) => {
    expect(response.status, response.text).toBe(status);
    expect(response.body).toEqual({
      code: status,
      msg: expect.stringMatching(msg) as string,
      ...(response.body?.errors ? { errors: expect.any(Array) as unknown } : {}),
      request_id: response.headers.get('x-request-id'),
    });
  };
  /** Every message the robots will get has arrived, and a moment more has passed for a second one to show up. */
  const settle = async (fragment: string) => {
    await waitFor(
      () => robots.every((token) => received(token, fragment).length > 0),
      `both robots to get ${fragment}`,
      20_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
  };

  it('a retried report answers the first report again and reaches each robot once', async () => {
    const before = await reportCount();
    const first = await postReport(report('宫保鸡丁'), 'report-retry-1');
    expect(first.status, first.text).toBe(201);
    // The same request as a client would send it again: other key order, other whitespace.
    const again = await t.request('POST', '/api/v1/menu-reports', {
      rawBody: `{ "unit": "份", "quantity": 3,\n  "dish_name": "宫保鸡丁", "store_id": ${STORE} }`,
      headers: { 'idempotency-key': 'report-retry-1' },
    });
    expect(again.status, again.text).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await reportCount()).toBe(before + 1);

    await settle(`#${first.body.data.id}`);
    const third = await postReport(report('宫保鸡丁'), 'report-retry-1');
    expect(third.body).toEqual(first.body);
    for (const token of robots) expect(received(token, `#${first.body.data.id}`)).toHaveLength(1);
    expect(await reportCount()).toBe(before + 1);
  });

  it('a retried batch send answers the first result again and sends each robot one message', async () => {
    const body = { store_id: STORE, msg_type: 'text', content: '盘点提醒 batch-retry' };
    const send = () =>
      t.request('POST', '/api/v1/dingtalk-bots/batch-send', {
        body,
        headers: { 'idempotency-key': 'batch-retry-1' },
      });
    const first = await send();
    expect(first.status, first.text).toBe(202);
    expect(first.body.data.queued).toBe(2);
    const again = await send();
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    await settle('batch-retry');
    for (const token of robots) expect(received(token, 'batch-retry')).toHaveLength(1);
    const rows = await db.query(`SELECT count(*) AS n FROM notifications WHERE content LIKE '%batch-retry%'`);
    expect(Number(rows[0].n)).toBe(2);
  });

  it('the same key with another body, or on the other route, is a 422 and creates nothing', async () => {
    const first = await postReport(report('米饭'), 'reused-key');
    expect(first.status).toBe(201);
    const before = await reportCount();
    expectEnvelope(await postReport(report('面条'), 'reused-key'), 422, /another request/);
    expectEnvelope(
      await postReport({ ...report('米饭'), remark: '少辣' }, 'reused-key'),
      422,
      /another request/,
    );
    const otherRoute = await t.request('POST', '/api/v1/dingtalk-bots/batch-send', {
      body: { store_id: STORE, msg_type: 'text', content: 'reused-key' },
      headers: { 'idempotency-key': 'reused-key' },
    });
    expectEnvelope(otherRoute, 422, /another request/);
    expect(await reportCount()).toBe(before);
    // The first request is still answered as before.
    expect((await postReport(report('米饭'), 'reused-key')).body).toEqual(first.body);
  });

  it('keys are per caller: another caller with the same key and body makes its own report', async () => {
    const mine = await postReport(report('饺子'), 'shared-key');
    const other = await postReport(
      report('饺子'),
      'shared-key',
      t.token({ sub: 'another-caller', role: 'store_admin', store_ids: [STORE] }),
    );
    expect(mine.status).toBe(201);
    expect(other.status, other.text).toBe(201);
    expect(other.body.data.id).not.toBe(mine.body.data.id);
    expect(other.body.data.reported_by).toBe('another-caller');
    // Each caller's retry gets its own report back.
    expect((await postReport(report('饺子'), 'shared-key')).body.data.id).toBe(mine.body.data.id);
  });

  it('refuses a key that is empty, over 255 characters or not printable ASCII, with a 400 naming the header', async () => {
    const before = await reportCount();
    for (const key of ['', 'k'.repeat(256), 'clé-é']) {
      const response = await postReport(report('汤'), key);
      expectEnvelope(response, 400, /Idempotency-Key/);
      expect(response.body.errors).toEqual([
        { field: 'Idempotency-Key', message: expect.stringMatching(/printable ASCII/) as string },
      ]);
    }
    expect(await reportCount()).toBe(before);
    expect((await postReport(report('汤'), 'k'.repeat(255))).status).toBe(201);
    expect((await postReport(report('汤'), ' !"~ spaces and symbols ~')).status).toBe(201);
  });

  it('concurrent requests with one key make one report: the others get it too, or 409 "in progress"', async () => {
    const before = await reportCount();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => postReport(report('烤鸭'), 'concurrent-key')),
    );
    expect(await reportCount()).toBe(before + 1);
    const created = answers.filter((answer) => answer.status === 201);
    console.log(
      `concurrent same-key reports: ${created.length} × 201, ${answers.length - created.length} × 409`,
    );
    expect(created.length).toBeGreaterThan(0);
    for (const answer of created) expect(answer.body).toEqual(created[0].body);
    for (const answer of answers.filter((a) => a.status !== 201)) {
      expectEnvelope(answer, 409, /still being processed/);
      expect(answer.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/);
    }
    // Once it is done, every retry gets the report.
    expect((await postReport(report('烤鸭'), 'concurrent-key')).body).toEqual(created[0].body);
    await settle(`#${created[0].body.data.id}`);
    for (const token of robots) expect(received(token, `#${created[0].body.data.id}`)).toHaveLength(1);
  });
});

describe('Idempotency-Key after 24 hours', () => {
  const clock = new ManualClock();
  const { t } = useTestApp({ clock });
  const post = (dish: string) =>
    t.request('POST', '/api/v1/menu-reports', {
      body: { store_id: 1, dish_name: dish, quantity: 1, unit: '份' },
      headers: { 'idempotency-key': 'day-old-key' },
    });
  const keys = async () =>
    Number((await t.app.get(DataSource).query('SELECT count(*) AS n FROM idempotency_keys'))[0].n);

  it('is a new key: another request under it is created, and the expiry job deletes keys past their day', async () => {
    const first = await post('米饭');
    expect(first.status).toBe(201);
    clock.set(clock.now() + DAY_MS - 1_000);
    expect((await post('面条')).status).toBe(422);
    clock.set(clock.now() + 2_000);
    const later = await post('面条');
    expect(later.status, later.text).toBe(201);
    expect(later.body.data.id).not.toBe(first.body.data.id);
    expect((await post('面条')).body).toEqual(later.body);
    expect(await keys()).toBe(1);

    const job = t.app.get(IdempotencyExpiryJob);
    expect(await job.run()).toBe(0);
    clock.set(clock.now() + DAY_MS + 1_000);
    expect(await job.run()).toBe(1);
    expect(await keys()).toBe(0);
  });
});
