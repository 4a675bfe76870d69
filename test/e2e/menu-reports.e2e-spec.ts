import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { NotificationPlanner } from '../../src/notify/notification-planner';
import { useTestApp } from '../support/use-test-app';

const WEBHOOK = 'https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef0123456789abcdef';

describe('menu reports API', () => {
  const { t } = useTestApp();

  const createBot = async (body: Record<string, unknown>) => {
    const response = await t.request('POST', '/api/v1/dingtalk-bots', { body: { name: 'bot', ...body } });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body.data;
  };

  it('stores a report with one notification per enabled bot of its store, committed together', async () => {
    const webhook = await createBot({ store_id: 10, webhook: WEBHOOK });
    const noTarget = await createBot({
      store_id: 10,
      bot_type: 'stream',
      client_id: 'dingA10',
      client_secret: 's',
      agent_id: '1',
    });
    await createBot({ store_id: 10, webhook: WEBHOOK, is_enabled: false });
    await createBot({ store_id: 11, webhook: WEBHOOK });

    const response = await t.request('POST', '/api/v1/menu-reports', {
      body: { store_id: 10, dish_name: '宫保鸡丁', quantity: 50, unit: '份', remark: '少辣' },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const report = response.body.data;
    expect(report).toMatchObject({
      id: expect.any(Number),
      store_id: 10,
      dish_id: null,
      dish_name: '宫保鸡丁',
      quantity: 50,
      unit: '份',
      remark: '少辣',
      reported_by: 'test-admin',
      source: 'api',
    });
    expect(report.notifications).toEqual([
      {
        id: expect.any(Number),
        bot_id: webhook.id,
        status: expect.stringMatching(/pending|sent|retrying|failed/),
        confirmation: expect.objectContaining({ status: 'off' }),
      },
      {
        id: expect.any(Number),
        bot_id: noTarget.id,
        status: 'skipped',
        confirmation: expect.objectContaining({ status: 'off' }),
      },
    ]);
    expect(report.warnings).toEqual([
      `Bot ${noTarget.id} of store 10 has nowhere to send (no target): its notification of this report is ` +
        'skipped. A stream bot needs user_ids (work notifications) or open_conversation_id (a group; or write 绑定 ' +
        'to the bot in that group): set them with PUT /api/v1/dingtalk-bots/{id}.',
    ]);

    const rows = await t.app
      .get(DataSource)
      .query(
        'SELECT bot_id, status, msg_type, title, content, hint FROM notifications WHERE menu_report_id = $1 ORDER BY id',
        [report.id],
      );
    expect(rows[0]).toMatchObject({
      bot_id: webhook.id,
      msg_type: 'markdown',
      title: '报菜通知：宫保鸡丁 50 份',
    });
    expect(rows[0].content).toContain('宫保鸡丁');
    expect(rows[0].content).toContain('少辣');
    expect(rows[0].content).toContain(`#${report.id}`);
    expect(rows[1].hint).toMatch(/no target/);

    const fetched = await t.request('GET', `/api/v1/menu-reports/${report.id}`);
    expect(fetched.body.data.notifications.map((n: { bot_id: number }) => n.bot_id)).toEqual([
      webhook.id,
      noTarget.id,
    ]);
  });

  it('stores a report for a store without an enabled bot, and warns that nobody was notified', async () => {
    await createBot({ store_id: 14, webhook: WEBHOOK, is_enabled: false });
    const body = { store_id: 14, dish_name: '宫保鸡丁', quantity: 5, unit: '份' };
    const alone = await t.request('POST', '/api/v1/menu-reports', { body });
    expect(alone.status, alone.text).toBe(201);
    expect(alone.body.data.notifications).toEqual([]);
    expect(alone.body.data.warnings).toEqual([
      expect.stringMatching(
        /^Store 14 has no enabled DingTalk bot: the report is stored, but nobody was notified/,
      ),
    ]);
    // Stored all the same, and without a word once a bot is there.
    expect((await t.request('GET', `/api/v1/menu-reports/${alone.body.data.id}`)).status).toBe(200);
    await createBot({ store_id: 14, webhook: WEBHOOK });
    const notified = await t.request('POST', '/api/v1/menu-reports', { body });
    expect(notified.body.data.notifications).toHaveLength(1);
    expect(notified.body.data.warnings).toEqual([]);
  });

  it('warns that nobody was notified when every enabled bot of the store has nowhere to send, naming them', async () => {
    const stream = { bot_type: 'stream', client_id: 'dingA15', client_secret: 's', agent_id: '1' };
    const first = await createBot({ store_id: 15, ...stream });
    const second = await createBot({ store_id: 15, ...stream });
    const response = await t.request('POST', '/api/v1/menu-reports', {
      body: { store_id: 15, dish_name: '宫保鸡丁', quantity: 5, unit: '份' },
    });
    expect(response.status, response.text).toBe(201);
    expect(response.body.data.notifications.map((n: { status: string }) => n.status)).toEqual([
      'skipped',
      'skipped',
    ]);
    expect(response.body.data.warnings).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Bots ${first.id}, ${second.id} of store 15 have nowhere to send \\(no target\\): the report is ` +
            'stored, but nobody was notified\\. A stream bot needs user_ids .* open_conversation_id .*绑定',
        ),
      ),
    ]);
  });

  it('answers warnings [] on a replay of an answer stored before warnings existed (Idempotency-Key)', async () => {
    await createBot({ store_id: 16, webhook: WEBHOOK });
    const post = () =>
      t.request('POST', '/api/v1/menu-reports', {
        body: { store_id: 16, dish_name: '宫保鸡丁', quantity: 5, unit: '份' },
        headers: { 'idempotency-key': 'before-warnings-1' },
      });
    const first = await post();
    expect(first.status, first.text).toBe(201);
    // As the version before this field stored it.
    await t.app
      .get(DataSource)
      .query(`UPDATE idempotency_keys SET response = response - 'warnings' WHERE key = 'before-warnings-1'`);
    const replay = await post();
    expect(replay.status, replay.text).toBe(201);
    expect(replay.body.data).toEqual(first.body.data);
    expect(replay.body.data.warnings).toEqual([]);
  });

  it("keeps nothing when its notifications cannot be written: the listener's failure rolls the report back", async () => {
    await createBot({ store_id: 13, webhook: WEBHOOK });
    const db = t.app.get(DataSource);
    // A real failure inside the report's transaction, in the notify module's listener: the database refuses the row.
    await db.query(`CREATE FUNCTION refuse_store_13() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.store_id = 13 THEN RAISE EXCEPTION 'notifications of store 13 refused'; END IF; RETURN NEW; END $$`);
    await db.query(
      'CREATE TRIGGER refuse_store_13 BEFORE INSERT ON notifications FOR EACH ROW EXECUTE FUNCTION refuse_store_13()',
    );
    try {
      const response = await t.request('POST', '/api/v1/menu-reports', {
        body: { store_id: 13, dish_name: '回锅肉', quantity: 3, unit: '份' },
      });
      expect(response.status).toBe(500);
      expect(response.body).toEqual({
        code: 500,
        msg: 'Internal server error',
        request_id: expect.any(String),
      });
      expect(await db.query('SELECT id FROM menu_reports WHERE store_id = 13')).toEqual([]);
    } finally {
      await db.query('DROP TRIGGER refuse_store_13 ON notifications');
      await db.query('DROP FUNCTION refuse_store_13()');
    }
    const retried = await t.request('POST', '/api/v1/menu-reports', {
      body: { store_id: 13, dish_name: '回锅肉', quantity: 3, unit: '份' },
    });
    expect(retried.status).toBe(201);
    expect(retried.body.data.notifications).toHaveLength(1);
  });

  it.each([
    ['without an Idempotency-Key', 50, undefined],
    ['with an Idempotency-Key', 52, 'bots-change-between-1'],
  ])(
    'writes the report %s when a bot is deleted, disabled or moved between reading the bots and writing',
    async (_, storeId, key) => {
      const kept = await createBot({ store_id: storeId, webhook: WEBHOOK });
      const deleted = await createBot({ store_id: storeId, webhook: WEBHOOK });
      const disabled = await createBot({ store_id: storeId, webhook: WEBHOOK });
      const moved = await createBot({ store_id: storeId, webhook: WEBHOOK });
      const db = t.app.get(DataSource);
      // Between the report's two statements, for certain: the planner's read returns, then the bots change (other
      // connections, committed), then the write runs with the bots as read.
      const planner = t.app.get(NotificationPlanner);
      const read = planner.readForReport;
      planner.readForReport = async (...args) => {
        const planned = await read.apply(planner, args);
        expect(planned.bots.map((bot) => bot.id)).toEqual([kept.id, deleted.id, disabled.id, moved.id]);
        await db.query('DELETE FROM ding_talk_bots WHERE id = $1', [deleted.id]);
        await db.query('UPDATE ding_talk_bots SET is_enabled = false WHERE id = $1', [disabled.id]);
        await db.query('UPDATE ding_talk_bots SET store_id = $2 WHERE id = $1', [moved.id, storeId + 1]);
        return planned;
      };
      let response;
      try {
        response = await t.request('POST', '/api/v1/menu-reports', {
          body: { store_id: storeId, dish_name: '鱼香肉丝', quantity: 4, unit: '份' },
          headers: key === undefined ? {} : { 'idempotency-key': key },
        });
      } finally {
        planner.readForReport = read;
      }
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      const report = response.body.data;
      // The answer says what was written: the remaining bot's notification, none for the others.
      expect(report.notifications).toEqual([
        {
          id: expect.any(Number),
          bot_id: kept.id,
          status: expect.stringMatching(/pending|sent|retrying|failed/),
          confirmation: expect.objectContaining({ status: 'off' }),
        },
      ]);
      expect(
        await db.query('SELECT id, bot_id FROM notifications WHERE menu_report_id = $1 ORDER BY id', [
          report.id,
        ]),
      ).toEqual([{ id: String(report.notifications[0].id), bot_id: kept.id }]);
      expect(await db.query('SELECT store_id FROM menu_reports WHERE id = $1', [report.id])).toEqual([
        { store_id: storeId },
      ]);
      const fetched = await t.request('GET', `/api/v1/menu-reports/${report.id}`);
      expect(fetched.body.data.notifications.map((n: { bot_id: number }) => n.bot_id)).toEqual([kept.id]);
      // Only the remaining bot was marked due (the disabled and the moved bot had no state row before).
      expect(
        (
          await db.query(
            'SELECT bot_id FROM bot_delivery_states WHERE bot_id = ANY($1::integer[]) ORDER BY bot_id',
            [[kept.id, deleted.id, disabled.id, moved.id]],
          )
        ).map((row: { bot_id: number }) => row.bot_id),
      ).toEqual([kept.id]);
    },
  );

  it("reads a report's bots, id and confirmation in one statement: a report in two round trips", async () => {
    const db = t.app.get(DataSource);
    /** What each statement of the report's own connection does, in order (other work runs on other connections). */
    const statementsOfReport = async (storeId: number, key?: string) => {
      const runs: string[][] = [];
      const createQueryRunner = db.createQueryRunner;
      db.createQueryRunner = (...args) => {
        const runner = createQueryRunner.apply(db, args);
        const statements: string[] = [];
        runs.push(statements);
        const query = runner.query;
        runner.query = (text: string, ...rest: unknown[]) => {
          statements.push(text);
          return query.apply(runner, [text, ...rest] as Parameters<typeof query>);
        };
        return runner;
      };
      try {
        const response = await t.request('POST', '/api/v1/menu-reports', {
          body: { store_id: storeId, dish_name: '宫保鸡丁', quantity: 5, unit: '份' },
          headers: key === undefined ? {} : { 'idempotency-key': key },
        });
        expect(response.status, response.text).toBe(201);
        const report = runs.filter((statements) =>
          statements.some((s) => s.includes('nextval($2::regclass)')),
        );
        expect(report).toHaveLength(1);
        const statements = report[0].map((text) => {
          if (text.includes('nextval($2::regclass)')) return 'read bots and id';
          if (text.includes('INSERT INTO menu_reports')) return 'write report and notifications';
          if (text.includes('INSERT INTO report_confirmations')) return 'write confirmation';
          if (text.includes('pg_try_advisory_xact_lock')) return 'lock idempotency key';
          if (text.includes('idempotency_keys')) return `${text.trim().split(/\s/)[0]} idempotency key`;
          if (text.includes('FROM report_confirmations')) return 'read confirmation (the answer)';
          if (text.includes('FROM notification_confirmations')) return "read notifications' confirmations";
          return text.replace(/\s+/g, ' ').trim();
        });
        return { report: response.body.data, statements };
      } finally {
        db.createQueryRunner = createQueryRunner;
      }
    };

    await createBot({ store_id: 60, webhook: WEBHOOK });
    const off = await statementsOfReport(60);
    expect(off.report.notifications[0].confirmation).toMatchObject({ status: 'off' });
    expect(off.statements).toEqual(['read bots and id', 'write report and notifications']);
    // An Idempotency-Key adds its transaction and its key's statements, no read of its own.
    const keyed = await statementsOfReport(60, 'two-round-trips-1');
    expect(keyed.statements).toEqual([
      'START TRANSACTION',
      'lock idempotency key',
      'SELECT idempotency key',
      'read bots and id',
      'write report and notifications',
      'INSERT idempotency key',
      'COMMIT',
    ]);

    const settings = await t.request('PUT', '/api/v1/stores/60/confirmation-settings', {
      body: { enabled: true, reminder_after_minutes: 10 },
    });
    expect(settings.status, settings.text).toBe(200);
    const on = await statementsOfReport(60);
    // Read with the bots: the plan reached the report (no PUBLIC_URL here, so the webhook bot's links are off).
    expect(on.report.confirmation).toMatchObject({ status: 'not_requested' });
    expect(on.report.notifications[0].confirmation).toMatchObject({ status: 'not_requested' });
    expect(on.statements).toEqual([
      'read bots and id',
      'START TRANSACTION',
      'write report and notifications',
      'write confirmation',
      'COMMIT',
      // The answer's confirmation, read back in the report's connection.
      'read confirmation (the answer)',
      "read notifications' confirmations",
    ]);

    // A store whose kitchen confirms but which has no enabled bot: nothing to confirm, as before.
    const alone = await t.request('PUT', '/api/v1/stores/61/confirmation-settings', {
      body: { enabled: true },
    });
    expect(alone.status, alone.text).toBe(200);
    const unnotified = await statementsOfReport(61);
    expect(unnotified.report).toMatchObject({ notifications: [], confirmation: { status: 'off' } });
    expect(unnotified.statements).toEqual(['read bots and id', 'write report and notifications']);
  });

  it('accepts decimals and a dish id alone', async () => {
    const response = await t.request('POST', '/api/v1/menu-reports', {
      body: { store_id: 12, dish_id: 7, quantity: 2.5, unit: '斤' },
    });
    expect(response.status).toBe(201);
    expect(response.body.data).toMatchObject({
      dish_id: 7,
      dish_name: null,
      quantity: 2.5,
      notifications: [],
    });
  });

  it.each([
    [{ store_id: 1, quantity: 1, unit: '份' }, 'dish_id'],
    [{ store_id: 1, dish_name: 'x', quantity: 0, unit: '份' }, 'quantity'],
    [{ store_id: 1, dish_name: 'x', quantity: -1, unit: '份' }, 'quantity'],
    [{ store_id: 1, dish_name: 'x', quantity: '5', unit: '份' }, 'quantity'],
    [{ store_id: 1, dish_name: 'x', quantity: 1.23456, unit: '份' }, 'quantity'],
    // Printed with an exponent and no point: class-validator's own decimal count threw on these (a 500).
    [{ store_id: 1, dish_name: 'x', quantity: 1e-7, unit: '份' }, 'quantity'],
    [{ store_id: 1, dish_name: 'x', quantity: 5e-324, unit: '份' }, 'quantity'],
    [{ store_id: 1, dish_name: 'x', quantity: 1 }, 'unit'],
    [{ store_id: 1, dish_name: 'x', quantity: 1, unit: '' }, 'unit'],
    [{ store_id: 1, dish_name: 'x', quantity: 1, unit: 'x'.repeat(21) }, 'unit'],
    [{ store_id: 1, dish_name: '', quantity: 1, unit: '份' }, 'dish_name'],
    [{ store_id: 1, dish_id: 0, quantity: 1, unit: '份' }, 'dish_id'],
    [{ store_id: 1, dish_name: 'x', quantity: 1, unit: '份', remark: 'x'.repeat(501) }, 'remark'],
    [{ store_id: 1, dish_name: 'x', quantity: 1, unit: '份', extra: true }, 'extra'],
  ])('refuses %j naming %s', async (body, field) => {
    const response = await t.request('POST', '/api/v1/menu-reports', { body });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('scopes reports to the stores of a store_admin, and takes its only store by default', async () => {
    const only20 = t.token({ sub: 'chef-20', role: 'store_admin', store_ids: [20] });
    const created = await t.request('POST', '/api/v1/menu-reports', {
      token: only20,
      body: { dish_name: '米饭', quantity: 3, unit: '斤' },
    });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ store_id: 20, reported_by: 'chef-20' });

    const other = await t.request('POST', '/api/v1/menu-reports', {
      body: { store_id: 21, dish_name: '面', quantity: 1, unit: '碗' },
    });
    expect(
      (await t.request('GET', `/api/v1/menu-reports/${other.body.data.id}`, { token: only20 })).status,
    ).toBe(404);
    const forbidden = await t.request('POST', '/api/v1/menu-reports', {
      token: only20,
      body: { store_id: 21, dish_name: '面', quantity: 1, unit: '碗' },
    });
    expect(forbidden.status).toBe(403);
    const list = await t.request('GET', '/api/v1/menu-reports?page_size=100', { token: only20 });
    expect(list.body.data.items.map((r: { store_id: number }) => r.store_id)).toEqual([20]);
  });

  it('filters by store and by whole days in the stores’ time zone', async () => {
    const make = async (at: string) => {
      const response = await t.request('POST', '/api/v1/menu-reports', {
        body: { store_id: 30, dish_name: at, quantity: 1, unit: '份' },
      });
      await t.app
        .get(DataSource)
        .query('UPDATE menu_reports SET created_at = $1 WHERE id = $2', [at, response.body.data.id]);
      return response.body.data.id as number;
    };
    // Asia/Shanghai is UTC+8: 2026-11-23T16:00Z is the first instant of 2026-11-24 there.
    const lateOn23 = await make('2026-11-23T15:59:59Z');
    const earlyOn24 = await make('2026-11-23T16:00:00Z');
    const lateOn24 = await make('2026-11-24T15:59:59Z');
    const on25 = await make('2026-11-24T16:00:00Z');
    const ids = async (query: string) =>
      (await t.request('GET', `/api/v1/menu-reports?store_id=30&${query}`)).body.data.items.map(
        (r: { id: number }) => r.id,
      );
    expect(await ids('date_from=2026-11-24&date_to=2026-11-24')).toEqual([lateOn24, earlyOn24]);
    expect(await ids('date_from=2026-11-24')).toEqual([on25, lateOn24, earlyOn24]);
    expect(await ids('date_to=2026-11-23')).toEqual([lateOn23]);
    expect((await t.request('GET', '/api/v1/menu-reports?date_from=2026-13-01')).status).toBe(400);
    expect((await t.request('GET', '/api/v1/menu-reports?date_from=yesterday')).status).toBe(400);
  });
});
