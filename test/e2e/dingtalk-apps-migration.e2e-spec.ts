import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, Simulator } from '../../simulator/simulator';
import { SecretBox } from '../../src/common/crypto/secret-box';
import { MIGRATIONS } from '../../src/database/migrations';
import { DingTalkApps1764003450000 } from '../../src/database/migrations/1764003450000-dingtalk-apps';
import { runMigrations } from '../../src/database/run-migrations';
import { startTestApp, testConfig } from '../support/test-app';
import { appliedMigrations, useDatabaseBefore } from '../support/database-before-migration';
import { waitFor } from '../support/wait-for';

const APPS = MIGRATIONS.findIndex((migration) => migration === DingTalkApps1764003450000);

/**
 * Upgrading a database whose stream bots hold their own credentials (the schema before DingTalk apps were a resource):
 * the credentials become apps, identical ones one app, the bots refer to them, and the service starts on the result
 * and connects as those apps.
 */
describe('migration: per-bot stream credentials become DingTalk apps', () => {
  // The embedded test database comes migrated, one on TEST_DATABASE_URL empty: brought to the schema of the
  // version before apps either way.
  const db = useDatabaseBefore(DingTalkApps1764003450000);
  let sim: Simulator;

  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(async () => {
    await sim?.close();
  });

  async function lastApplied(dataSource: DataSource): Promise<string | undefined> {
    const [row] = await dataSource.query<Array<{ name: string }>>(
      `SELECT name FROM schema_migrations ORDER BY timestamp DESC LIMIT 1`,
    );
    return row?.name;
  }

  it('turns each distinct client_id into one app, points the bots at it, and the service connects as it', async () => {
    expect(APPS).toBeGreaterThan(0);
    const secrets = new SecretBox(testConfig(db.database));
    const chain = sim.state.registerApp({
      clientId: 'dingoldchain',
      clientSecret: 'chain-secret',
      agentId: '1001',
    });
    const single = sim.state.registerApp({
      clientId: 'dingoldsingle',
      clientSecret: 'single-secret',
      agentId: '1002',
    });
    // Under the old schema a client_id had one stream bot; a database whose unique index was dropped by hand may hold
    // the same credentials twice (each sealed with its own IV, so the rows differ).
    await db.source.query(`DROP INDEX uq_ding_talk_bots_stream_client_id`);
    const insert = (
      name: string,
      storeId: number,
      botType: string,
      app: typeof chain | null,
      group: string | null,
    ) =>
      db.source.query<Array<{ id: number }>>(
        `INSERT INTO ding_talk_bots (name, store_id, bot_type, client_id, client_secret, agent_id, open_conversation_id,
                                     webhook)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [
          name,
          storeId,
          botType,
          app?.clientId ?? null,
          app ? secrets.seal(app.clientSecret) : null,
          app?.agentId ?? null,
          group,
          botType === 'webhook'
            ? secrets.seal('https://oapi.dingtalk.com/robot/send?access_token=abc')
            : null,
        ],
      );
    const [[first], [second], [other], [webhook]] = [
      await insert('一号店', 1, 'stream', chain, 'cidStore1=='),
      await insert('二号店', 2, 'stream', chain, 'cidStore2=='),
      await insert('单店', 3, 'stream', single, null),
      await insert('群机器人', 4, 'webhook', null, null),
    ];

    expect(await runMigrations(db.source)).toEqual(
      MIGRATIONS.slice(APPS).map((migration) => new migration().name),
    );

    const apps = await db.source.query<Array<Record<string, unknown>>>(
      `SELECT id, name, client_id, client_secret, agent_id FROM dingtalk_apps ORDER BY client_id`,
    );
    expect(apps.map(({ name, client_id, agent_id }) => ({ name, client_id, agent_id }))).toEqual([
      { name: 'dingoldchain', client_id: 'dingoldchain', agent_id: '1001' },
      { name: 'dingoldsingle', client_id: 'dingoldsingle', agent_id: '1002' },
    ]);
    expect(apps.map((app) => secrets.open(String(app.client_secret)))).toEqual([
      'chain-secret',
      'single-secret',
    ]);
    const bots = await db.source.query<Array<{ id: number; app_id: number | null; agent_id: string | null }>>(
      `SELECT id, app_id, agent_id FROM ding_talk_bots ORDER BY id`,
    );
    expect(bots).toEqual([
      { id: first.id, app_id: apps[0].id, agent_id: '1001' },
      { id: second.id, app_id: apps[0].id, agent_id: '1001' },
      { id: other.id, app_id: apps[1].id, agent_id: '1002' },
      { id: webhook.id, app_id: null, agent_id: null },
    ]);
    const columns = await db.source.query<Array<{ column_name: string }>>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'ding_talk_bots'`,
    );
    expect(columns.map((column) => column.column_name)).not.toContain('client_secret');
    expect(columns.map((column) => column.column_name)).not.toContain('client_id');

    // The service on the upgraded database: the bots show their app, and the apps connect with their credentials.
    const t = await startTestApp({ database: db.database, env: sim.env });
    try {
      const listed = await t.request('GET', '/api/v1/dingtalk-bots?page_size=100');
      expect(
        listed.body.data.items.map((bot: Record<string, unknown>) => [bot.id, bot.app_id, bot.client_id]),
      ).toEqual([
        [webhook.id, null, null],
        [other.id, apps[1].id, 'dingoldsingle'],
        [second.id, apps[0].id, 'dingoldchain'],
        [first.id, apps[0].id, 'dingoldchain'],
      ]);
      const listedApps = await t.request('GET', '/api/v1/dingtalk-apps');
      expect(listedApps.body.data.total).toBe(2);
      expect(listedApps.text).not.toContain('chain-secret');
      await waitFor(
        () => [chain, single].every((app) => sim.stream.connections(app.clientId).length > 0),
        'both apps connected',
      );
    } finally {
      await t.close();
    }
  });

  it('goes back to credentials on each bot while every app serves one bot, and refuses while one serves more', async () => {
    // Migrations that came after this one are undone first: the way back under test is this one's.
    while ((await lastApplied(db.source)) !== DingTalkApps1764003450000.name)
      await db.source.undoLastMigration();
    // The first test left two bots on one app: the way back would make two stream bots of one client_id.
    const undoneTo = async (name: string) => {
      while ((await appliedMigrations(db.source)).at(-1) !== name) await db.source.undoLastMigration();
    };
    await undoneTo(DingTalkApps1764003450000.name);
    await expect(db.source.undoLastMigration()).rejects.toThrow(/uq_ding_talk_bots_stream_client_id|unique/);
    const [shared] = await db.source.query<Array<{ id: number }>>(
      `SELECT id FROM ding_talk_bots WHERE name = '二号店'`,
    );
    await db.source.query(`DELETE FROM ding_talk_bots WHERE id = $1`, [shared.id]);
    while ((await appliedMigrations(db.source)).includes(DingTalkApps1764003450000.name))
      await db.source.undoLastMigration();
    const bots = await db.source.query<
      Array<{ name: string; client_id: string | null; agent_id: string | null }>
    >(`SELECT name, client_id, agent_id FROM ding_talk_bots ORDER BY id`);
    expect(bots).toEqual([
      { name: '一号店', client_id: 'dingoldchain', agent_id: '1001' },
      { name: '单店', client_id: 'dingoldsingle', agent_id: '1002' },
      { name: '群机器人', client_id: null, agent_id: null },
    ]);
  });
});

/**
 * Bots that shared a client_id with different secrets (an index dropped by hand): the app keeps the secret of the bot
 * written last, as before, and the migration's log names the bots, the app and whose secret was kept, never a secret.
 */
describe('migration: a merge of different secrets is reported', () => {
  const logged: Array<{ level: string; message: string }> = [];
  const db = useDatabaseBefore(DingTalkApps1764003450000, {
    logQuery: () => {},
    logQueryError: () => {},
    logQuerySlow: () => {},
    logSchemaBuild: () => {},
    logMigration: () => {},
    log: (level, message) => logged.push({ level, message: String(message) }),
  });

  it('logs which bots were merged onto which app and whose secret was kept, and leaves the data as it was', async () => {
    const secrets = new SecretBox(testConfig(db.database));
    await db.source.query(`DROP INDEX uq_ding_talk_bots_stream_client_id`);
    const insert = async (store: number, clientId: string, sealed: string, updatedAt: string) => {
      const [row] = await db.source.query<Array<{ id: number }>>(
        `INSERT INTO ding_talk_bots (name, store_id, bot_type, client_id, client_secret, agent_id, updated_at)
         VALUES ($1, $2, 'stream', $3, $4, '1001', $5) RETURNING id`,
        [`store ${store}`, store, clientId, sealed, updatedAt],
      );
      return row.id;
    };
    const kept = secrets.seal('current-secret');
    const dropped = await insert(1, 'dingmerged', secrets.seal('former-secret'), '2026-01-01T00:00:00Z');
    const same = await insert(2, 'dingmerged', secrets.seal('current-secret'), '2026-02-01T00:00:00Z');
    const last = await insert(3, 'dingmerged', kept, '2026-03-01T00:00:00Z');
    // The same secret twice, sealed apart: merged without a word.
    await insert(4, 'dingsame', secrets.seal('same-secret'), '2026-01-01T00:00:00Z');
    await insert(5, 'dingsame', secrets.seal('same-secret'), '2026-02-01T00:00:00Z');

    await runMigrations(db.source, { openSealed: (sealed) => secrets.open(sealed) });

    const [app] = await db.source.query<Array<{ id: number; client_secret: string }>>(
      `SELECT id, client_secret FROM dingtalk_apps WHERE client_id = 'dingmerged'`,
    );
    // The data is the statements' own: the app holds the last bot's sealed secret as it was, every bot points at it.
    expect(app.client_secret).toBe(kept);
    const bots = await db.source.query<Array<{ app_id: number }>>(
      `SELECT app_id FROM ding_talk_bots WHERE id = ANY($1::int[])`,
      [[dropped, same, last]],
    );
    expect(bots.map((bot) => bot.app_id)).toEqual([app.id, app.id, app.id]);

    const reports = logged.filter((line) => line.message.startsWith('DingTalkApps:'));
    expect(reports).toEqual([
      {
        level: 'warn',
        message:
          `DingTalkApps: bots ${dropped}, ${same}, ${last} shared client_id dingmerged and were merged onto app ` +
          `${app.id} with the secret of bot ${last} (written last); the secret of bots ${dropped} differed and was ` +
          `dropped. If app ${app.id} cannot connect (auth_failed), give it its current secret: ` +
          `PUT /api/v1/dingtalk-apps/${app.id}`,
      },
    ]);
    for (const secret of ['current-secret', 'former-secret', 'same-secret']) {
      expect(logged.map((line) => line.message).join('\n')).not.toContain(secret);
    }
  });

  it('says so when it cannot open the secrets to compare them, and merges all the same', async () => {
    await db.source.query(`DELETE FROM ding_talk_bots`);
    while (
      (await db.source.query<Array<{ name: string }>>(`SELECT name FROM schema_migrations`)).some(
        (row) => row.name === DingTalkApps1764003450000.name,
      )
    ) {
      await db.source.undoLastMigration();
    }
    await db.source.query(`DROP INDEX IF EXISTS uq_ding_talk_bots_stream_client_id`);
    const secrets = new SecretBox(testConfig(db.database));
    const ids: number[] = [];
    for (const [store, secret] of [
      [1, 'one-secret'],
      [2, 'other-secret'],
    ] as const) {
      const [row] = await db.source.query<Array<{ id: number }>>(
        `INSERT INTO ding_talk_bots (name, store_id, bot_type, client_id, client_secret, updated_at)
         VALUES ($1, $2, 'stream', 'dingunknown', $3, $4) RETURNING id`,
        [`store ${store}`, store, secrets.seal(secret), `2026-0${store}-01T00:00:00Z`],
      );
      ids.push(row.id);
    }
    logged.length = 0;

    await runMigrations(db.source);

    const [app] = await db.source.query<Array<{ id: number }>>(
      `SELECT id FROM dingtalk_apps WHERE client_id = 'dingunknown'`,
    );
    expect(logged.filter((line) => line.message.startsWith('DingTalkApps:'))).toEqual([
      {
        level: 'warn',
        message: expect.stringContaining(
          `bots ${ids[0]}, ${ids[1]} shared client_id dingunknown and were merged onto app ${app.id} with the ` +
            `secret of bot ${ids[1]} (written last); the secret of bots ${ids[0]} could not be compared`,
        ),
      },
    ]);
  });
});
