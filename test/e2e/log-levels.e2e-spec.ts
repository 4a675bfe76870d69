import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Simulator, startSimulator } from '../../simulator/simulator';
import { startTestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

/**
 * LOG_LEVEL does what it says, read from the lines the application really writes (LogCapture): trace shows the SQL
 * (TypeORM through pino, bound values reduced to their kind) and debug each delivery attempt; info and above
 * leave them out; silent writes nothing. No secret reaches any line at any level.
 */
describe('LOG_LEVEL', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(async () => {
    await sim?.close();
  });

  /** Starts an app at `level`, creates a signed webhook bot, posts a report and waits for its delivery. */
  const exercise = async (level: string) => {
    const t = await startTestApp({ env: { ...sim.env, LOG_LEVEL: level } });
    try {
      const token = t.token({ sub: 'log-level-test' });
      const robot = sim.state.registerRobot({ secret: `SEC${'5ec7e7'.repeat(8)}` });
      const bot = await t.request('POST', '/api/v1/dingtalk-bots', {
        token,
        body: {
          name: 'log levels',
          store_id: 3,
          webhook: `${sim.url}/robot/send?access_token=${robot.token}`,
          secret: robot.secret,
          msg_type: 'text',
        },
      });
      expect(bot.status, bot.text).toBe(201);
      const report = await t.request('POST', '/api/v1/menu-reports', {
        token,
        body: { store_id: 3, dish_name: '宫保鸡丁', quantity: 2, unit: '份', remark: 'password=hunter2' },
      });
      expect(report.status, report.text).toBe(201);
      await waitFor(
        () => sim.state.received({ target: robot.token, accepted: true }).length === 1,
        'the report delivered',
        30_000,
      );
      await t.request('GET', '/health', { token: null });
      const secrets = [robot.token, robot.secret!, token, token.split('.')[2], 'hunter2'];
      return { lines: t.logs.lines, secrets };
    } finally {
      await t.close();
    }
  };
  const levelsOf = (lines: readonly string[]) =>
    new Set(lines.map((line) => (JSON.parse(line) as { level: string }).level));

  it('trace shows the SQL with bound values scrubbed, and debug lines', async () => {
    const { lines, secrets } = await exercise('trace');
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const sql = parsed.filter((line) => line.level === 'trace' && line.context === 'sql');
    expect(sql.map((line) => line.msg)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^(WITH [^(]*\( )?INSERT INTO "?menu_reports"?/),
        'SELECT 1 AS ok',
      ]),
    );
    const insert = sql.find((line) =>
      /^(WITH [^(]*\( )?INSERT INTO "?menu_reports"?/.test(String(line.msg)),
    )!;
    expect(insert.params).toEqual(expect.arrayContaining(['<text, 4 chars>', 3, 2]));
    expect(parsed).toContainEqual(
      expect.objectContaining({
        level: 'debug',
        msg: expect.stringMatching(/^Sending notification \d+ to bot \d+/),
      }),
    );
    for (const secret of secrets) expect(lines.filter((line) => line.includes(secret))).toEqual([]);
  });

  it.each([
    ['debug', ['debug', 'info']],
    ['info', ['info']],
    ['warn', []],
  ] as const)('%s leaves out every line below it', async (level, expected) => {
    const { lines, secrets } = await exercise(level);
    const seen = levelsOf(lines);
    for (const wanted of expected) expect(seen).toContain(wanted);
    const allowed = LEVELS.slice(LEVELS.indexOf(level));
    expect([...seen].filter((l) => !(allowed as readonly string[]).includes(l))).toEqual([]);
    for (const secret of secrets) expect(lines.filter((line) => line.includes(secret))).toEqual([]);
  });

  it("keeps Nest's start-up inventory (modules, controllers, routes) at debug, with each route's real path", async () => {
    const inventory = ['InstanceLoader', 'RoutesResolver', 'RouterExplorer'];
    const startupLines = async (level: string) => {
      const t = await startTestApp({ env: { LOG_LEVEL: level } });
      await t.close();
      return t.logs.lines
        .map((line) => JSON.parse(line) as { level: string; context?: string; msg?: string })
        .filter((line) => inventory.includes(line.context ?? ''));
    };
    // info is the default LOG_LEVEL (src/config/load-config.ts)
    expect(await startupLines('info')).toEqual([]);

    const debug = await startupLines('debug');
    expect(new Set(debug.map((line) => line.level))).toEqual(new Set(['debug']));
    expect(debug.map((line) => line.context)).toEqual(expect.arrayContaining(inventory));
    const messages = debug.map((line) => line.msg);
    expect(messages).toEqual(
      expect.arrayContaining([
        'HealthController:',
        'Mapped {/health, GET} route',
        'Mapped {/api/v1/auth/me, GET} route',
      ]),
    );
    // the global prefix appears only where a route has it (/health and /metrics are excluded from /api/v1)
    expect(
      messages.filter((msg) => msg?.includes('/api/v1/health') || msg?.includes('/api/v1/metrics')),
    ).toEqual([]);
  });

  it('silent writes nothing', async () => {
    const { lines } = await exercise('silent');
    expect(lines).toEqual([]);
  });
});
