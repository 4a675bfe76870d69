import { DataSource } from 'typeorm';
import { beforeAll, describe, expect, it } from 'vitest';
import { DailySummaryService } from '../../src/daily-summary/daily-summary.service';
import { SimRobot } from '../../simulator/core/simulator-state';
import { ManualClock } from '../support/clocks';
import { insertReports } from '../support/daily-summary';
import { TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { givenWebhookBot, robotWebhook } from '../support/given';
import { useTestApp } from '../support/use-test-app';

/**
 * Records what each run of the summary job queued (the job calls the service's sendDue once a minute), so a test can
 * wait for a run to finish, and so know that nothing more is coming from it.
 */
function observeRuns(app: TestApp): number[] {
  const runs: number[] = [];
  const service = app.app.get(DailySummaryService);
  const sendDue = service.sendDue.bind(service);
  service.sendDue = async () => {
    const queued = await sendDue();
    runs.push(queued);
    return queued;
  };
  return runs;
}

/** Asia/Shanghai (the default REPORT_TIMEZONE) is UTC+8: local 21:30 on the 24th is 13:30Z. */
const local = (day: '24' | '25', time: string) => Date.parse(`2026-11-${day}T${time}+08:00`);

/**
 * The daily summary going out through the delivery queue to the simulator, on a clock only the test moves (shared
 * by the service and the simulator). The summary job runs every minute of that clock; each step below lets one run
 * finish (its log line) before moving on, so every run happens at an instant the test names.
 */
describe('daily summary: sent once per bot and day, at its time, through the queue', () => {
  const clock = new ManualClock(local('24', '21:28:30'));
  const { sim, t, restart } = useTestApp({ simulator: true, clock });
  const bots: Record<string, { id: number; robot: SimRobot }> = {};
  let runs: number[] = [];
  const start = async (again: boolean) => {
    if (again) await restart();
    runs = observeRuns(t);
  };

  beforeAll(async () => {
    await start(false);
  });

  /**
   * Moves the clock to `at` (at least a minute after the last run) and waits for the run that falls due there;
   * answers how many summaries it queued.
   */
  const runAt = async (at: number) => {
    const before = runs.length;
    clock.set(at);
    await waitFor(
      async () => {
        await clock.advance(0);
        return runs.length > before;
      },
      `the summary job's run at ${new Date(at).toISOString()}`,
    );
    return runs.at(-1);
  };
  const createBot = async (key: string, body: Record<string, unknown>) => {
    const robot = sim.state.registerRobot({ keywords: ['报菜'] });
    const bot = await givenWebhookBot(t, { name: key, webhook: robotWebhook(sim, robot), ...body });
    bots[key] = { id: bot.id, robot };
  };
  const received = (key: string) => sim.state.received({ target: bots[key].robot.token, accepted: true });
  const summariesOf = async (key: string) =>
    (await t.request('GET', `/api/v1/notifications?kind=daily_summary&bot_id=${bots[key].id}`)).body.data
      .items as Array<{ id: number; status: string; kind: string; title: string }>;
  /** Waits until the dispatcher has sent everything queued (moving no time). */
  const delivered = () =>
    waitFor(async () => {
      await clock.advance(0);
      const [{ waiting }] = await t.app
        .get(DataSource)
        .query(`SELECT count(*)::int AS waiting FROM notifications WHERE status IN ('pending', 'retrying')`);
      return waiting === 0;
    }, 'the queue to be empty');

  it('sends each bot the totals of its store’s day at its time, not before', async () => {
    await createBot('kitchen', { store_id: 61, daily_summary_at: '21:30', at_mobiles: ['13800000000'] });
    await createBot('quiet', { store_id: 63, daily_summary_at: '21:30', msg_type: 'text' });
    await createBot('later', { store_id: 62, daily_summary_at: '21:33' });
    const template = await t.request('POST', '/api/v1/message-templates', {
      body: {
        name: '日报',
        store_id: 64,
        purpose: 'daily_summary',
        msg_type: 'text',
        title: '报菜日报 {{date}}',
        body: '报菜日报 {{date}}：{{report_count}} 条\n{{totals}}',
      },
    });
    expect(template.status, template.text).toBe(201);
    await createBot('templated', {
      store_id: 64,
      daily_summary_at: '21:30',
      template_id: template.body.data.id,
    });
    await insertReports(t, [
      { storeId: 61, dishName: '宫保鸡丁', quantity: 1, unit: '份', at: '2026-11-23T15:59:59Z' }, // the 23rd
      {
        storeId: 61,
        dishName: '宫保鸡丁',
        quantity: 50,
        unit: '份',
        reportedBy: '张师傅',
        at: '2026-11-23T16:00:00Z',
      },
      {
        storeId: 61,
        dishName: '宫保鸡丁',
        quantity: 70,
        unit: '份',
        reportedBy: '李师傅',
        at: '2026-11-24T11:00:00Z',
      },
      {
        storeId: 61,
        dishName: '米饭',
        quantity: 2.5,
        unit: '斤',
        reportedBy: '张师傅',
        at: '2026-11-24T12:45:00Z',
      },
      { storeId: 61, dishName: '宫保鸡丁', quantity: 9, unit: '份', at: '2026-11-24T16:00:00Z' }, // the 25th
      { storeId: 62, dishName: '米饭', quantity: 4, unit: '斤', at: '2026-11-24T10:00:00Z' },
      { storeId: 64, dishName: '米饭', quantity: 6, unit: '斤', at: '2026-11-24T10:00:00Z' },
    ]);

    expect(await runAt(local('24', '21:29:30'))).toBe(0);
    expect(received('kitchen')).toEqual([]);
    expect(await runAt(local('24', '21:30:30'))).toBe(3);
    await delivered();

    const [message] = received('kitchen');
    expect(message).toMatchObject({ msgtype: 'markdown', title: '报菜日报：门店 61 2026-11-24' });
    expect(message.text).toBe(
      [
        '#### 报菜日报 · 门店 61 · 2026-11-24',
        '- 宫保鸡丁 120 份',
        '- 米饭 2.5 斤',
        '',
        '> 共 3 条报菜，2 位报菜人；首条 00:00，末条 20:45',
        '',
        '@13800000000',
      ].join('\n'),
    );
    expect(received('quiet').map((m) => m.text)).toEqual(['【报菜日报 · 门店 63 · 2026-11-24：当日无报菜】']);
    expect(received('templated').map((m) => m.text)).toEqual(['报菜日报 2026-11-24：1 条\n米饭 6 斤']);
    expect((await summariesOf('templated')).map((row) => row.title)).toEqual(['报菜日报 2026-11-24']);
    expect(received('later')).toEqual([]);
    const [row] = await summariesOf('kitchen');
    expect(row).toMatchObject({
      kind: 'daily_summary',
      status: 'sent',
      title: '报菜日报：门店 61 2026-11-24',
    });
    const metrics = await fetch(`${t.url}/metrics`).then((response) => response.text());
    expect(metrics).toMatch(
      /dingtalk_message_sent_total\{type="webhook",bot_type="webhook",kind="daily_summary",status="success"\} 3\b/,
    );
  });

  it('makes a bot set up after today’s moment wait for tomorrow', async () => {
    clock.set(local('24', '21:31:00'));
    await createBot('late-setup', { store_id: 65, daily_summary_at: '21:30' });
    expect(await runAt(local('24', '21:31:30'))).toBe(0);
    expect(await summariesOf('late-setup')).toEqual([]);
  });

  it('after a restart: no second summary, and the ones missed while down go out late the same day', async () => {
    await t.close();
    clock.set(local('24', '21:40:00'));
    await start(true);
    // The first run, a minute after the start: only "later" (21:33, missed while the service was down).
    expect(await runAt(local('24', '21:41:00'))).toBe(1);
    await delivered();
    expect(received('later').map((m) => m.title)).toEqual(['报菜日报：门店 62 2026-11-24']);
    expect(received('later')[0].text).toContain('- 米饭 4 斤');
    for (const key of ['kitchen', 'quiet', 'templated']) expect(received(key), key).toHaveLength(1);
    expect(await summariesOf('late-setup')).toEqual([]);
  });

  it('never sends a past day’s summary, and sends the next day’s at its time', async () => {
    clock.set(local('24', '21:42:00'));
    await createBot('night', { store_id: 66, daily_summary_at: '23:50' });
    await t.close();
    // Down from 21:42 to 00:20 the next day: the 23:50 summary of the 24th is never sent.
    clock.set(local('25', '00:20:00'));
    await start(true);
    expect(await runAt(local('25', '00:21:00'))).toBe(0);
    expect(await summariesOf('night')).toEqual([]);

    expect(await runAt(local('25', '21:30:00'))).toBe(4);
    await delivered();
    expect(received('kitchen').map((m) => m.title)).toEqual([
      '报菜日报：门店 61 2026-11-24',
      '报菜日报：门店 61 2026-11-25',
    ]);
    expect(received('kitchen')[1].text).toContain('- 宫保鸡丁 9 份');
    expect(received('late-setup').map((m) => m.title)).toEqual(['报菜日报：门店 65 2026-11-25']);
    const rows = await t.app
      .get(DataSource)
      .query(`SELECT bot_id, to_char(day, 'YYYY-MM-DD') AS day FROM daily_summaries ORDER BY day, bot_id`);
    expect(rows).toHaveLength(4 + 4);
  });
});

/**
 * Several instances on one PostgreSQL (the suite's embedded one too: a server the apps share): every instance runs
 * the job, at the same instant, and each bot still gets one summary.
 */
describe('daily summary with two instances', () => {
  const clock = new ManualClock(local('24', '21:29:00'));
  const {
    sim,
    apps: [first, second],
  } = useTestApp({ simulator: true, clock, instances: ['instance-a', 'instance-b'] });

  it('sends each bot exactly one summary when both instances find it due at once', async () => {
    const robots: SimRobot[] = [];
    for (let index = 0; index < 8; index++) {
      const robot = sim.state.registerRobot();
      robots.push(robot);
      await givenWebhookBot(first, {
        name: `bot ${index}`,
        store_id: 70 + index,
        webhook: robotWebhook(sim, robot),
        daily_summary_at: '21:30',
      });
    }
    const runs = [observeRuns(first), observeRuns(second)];
    clock.set(local('24', '21:30:00'));
    await waitFor(async () => {
      await clock.advance(0);
      return runs.every((list) => list.length > 0);
    }, 'both instances to run the summary job');
    expect(runs.flat().reduce((sum, count) => sum + count, 0)).toBe(8);
    await waitFor(async () => {
      await clock.advance(0);
      return robots.every((robot) => sim.state.received({ target: robot.token, accepted: true }).length > 0);
    }, 'every bot’s summary to arrive');
    for (const robot of robots) expect(sim.state.received({ target: robot.token })).toHaveLength(1);
    const [{ count }] = await first.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS count FROM notifications WHERE kind = 'daily_summary'`);
    expect(count).toBe(8);
  });
});
