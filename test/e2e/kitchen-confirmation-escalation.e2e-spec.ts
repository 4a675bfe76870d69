import { DataSource } from 'typeorm';
import { describe, expect, it, beforeAll } from 'vitest';
import { ConfirmationEscalationJob } from '../../src/kitchen-confirmation/confirmation-escalation.job';
import { ManualClock } from '../support/clocks';
import { CreatedBot, givenMenuReport, givenWebhookBot, signedRobotFields } from '../support/given';
import { useTestApp } from '../support/use-test-app';
import { waitFor, waitForValue } from '../support/wait-for';

const PUBLIC_URL = 'https://notify.example.test';

interface RobotBody {
  msgtype: string;
  markdown?: { title: string; text: string };
  actionCard?: { text: string; btns: Array<{ title: string; actionURL: string }> };
  at?: { atMobiles: string[]; atUserIds: string[] };
}

/**
 * No click → reminder in the kitchen's group with the store's people @mentioned → escalation to the manager's bot;
 * a click after the reminder → no escalation; each step once, across the job's runs. Time is a ManualClock shared
 * with the simulator, moved a job period at a time.
 */
describe('kitchen confirmation: reminder and escalation, against the simulator', () => {
  const clock = new ManualClock();
  const { t, sim } = useTestApp({ simulator: true, clock, env: { PUBLIC_URL } });
  const STORE = 61;
  let kitchen: { token: string };
  let manager: { token: string };
  let managerBot: CreatedBot;

  beforeAll(async () => {
    kitchen = sim.state.registerRobot({ secret: 'SECkitchen61abcdef0123456789', keywords: ['报菜'] });
    manager = sim.state.registerRobot({ secret: 'SECmanager61abcdef0123456789', keywords: ['报菜'] });
    await givenWebhookBot(t, { name: '61 厨房群', store_id: STORE, ...signedRobotFields(sim, kitchen) });
    // The manager's own group, a bot of another store (HQ's): an admin may name any bot.
    managerBot = await givenWebhookBot(t, {
      name: '区域经理',
      store_id: 900,
      ...signedRobotFields(sim, manager),
    });
    const settings = await t.request('PUT', `/api/v1/stores/${STORE}/confirmation-settings`, {
      body: {
        enabled: true,
        reminder_after_minutes: 10,
        reminder_at_mobiles: ['13800000061'],
        reminder_at_user_ids: ['chef61'],
        escalation_after_minutes: 20,
        escalation_bot_id: managerBot.id,
      },
    });
    expect(settings.status, settings.text).toBe(200);
  });

  const bodies = (robot: { token: string }) =>
    sim.state
      .received({ channel: 'robot', target: robot.token, accepted: true })
      .map((m) => m.body as RobotBody);
  const mentioning = (robot: { token: string }, reportId: number, title: string) =>
    bodies(robot).filter((b) => b.msgtype === 'markdown' && b.markdown!.title === `${title}${reportId}`);
  const remindersOf = (reportId: number) => mentioning(kitchen, reportId, '报菜待确认：#');
  const escalationsOf = (reportId: number) => mentioning(manager, reportId, `报菜未确认：门店 ${STORE} #`);
  const confirmationOf = async (reportId: number) =>
    (await t.request('GET', `/api/v1/menu-reports/${reportId}`)).body.data.confirmation as Record<
      string,
      unknown
    >;
  /**
   * Moves time a job period at a time, with a moment of real time for what each period starts, then looks once more
   * itself: under load the scheduler's last look may have begun before the last step and missed what it made due.
   */
  const advanceMinutes = async (minutes: number) => {
    for (let moved = 0; moved < minutes * 60_000; moved += 10_000) {
      await clock.advance(10_000);
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    await t.app.get(ConfirmationEscalationJob).run();
  };
  const linkOf = async (reportId: number, label: string) => {
    const card = await waitForValue(
      () =>
        bodies(kitchen).find((b) => b.msgtype === 'actionCard' && b.actionCard!.text.includes(`#${reportId}`))
          ?.actionCard,
      `the ActionCard of report ${reportId}`,
    );
    return card.btns.find((b) => b.title === label)!.actionURL.replace(PUBLIC_URL, t.url);
  };

  it('reminds the kitchen with its people @mentioned, then escalates to the manager, each once', async () => {
    const report = await givenMenuReport(t, { store_id: STORE, dish_name: '红烧肉', quantity: 6 });
    expect(report.confirmation).toMatchObject({
      status: 'unconfirmed',
      reminder: 'pending',
      escalation: 'pending',
      reminder_due_at: new Date(clock.now() + 10 * 60_000).toISOString(),
    });
    await linkOf(report.id, '收到');

    await advanceMinutes(9);
    expect(remindersOf(report.id)).toEqual([]);
    await advanceMinutes(1);
    const reminder = await waitForValue(() => remindersOf(report.id)[0], 'the reminder');
    expect(reminder.at).toMatchObject({ atMobiles: ['13800000061'], atUserIds: ['chef61'] });
    expect(reminder.markdown!.text).toContain('已 10 分钟无人确认');
    // The links again, next to the mention.
    expect(reminder.markdown!.text).toMatch(
      /\[收到\]\(https:\/\/notify\.example\.test\/c\/[A-Za-z0-9_-]{25}\)/,
    );
    expect(await confirmationOf(report.id)).toMatchObject({ reminder: 'sent', escalation: 'pending' });
    expect(escalationsOf(report.id)).toEqual([]);

    await advanceMinutes(10);
    const escalation = await waitForValue(() => escalationsOf(report.id)[0], 'the escalation');
    expect(escalation.markdown!.text).toContain('已 20 分钟无人确认');
    expect(await confirmationOf(report.id)).toMatchObject({ status: 'unconfirmed', escalation: 'sent' });

    // Later runs send neither again.
    await advanceMinutes(2);
    expect(remindersOf(report.id)).toHaveLength(1);
    expect(escalationsOf(report.id)).toHaveLength(1);
    const log = await t.request('GET', `/api/v1/notifications?kind=escalation&bot_id=${managerBot.id}`);
    expect(log.body.data.items).toHaveLength(1);
  });

  it('cancels the escalation when someone confirms after the reminder', async () => {
    const report = await givenMenuReport(t, { store_id: STORE, dish_name: '米饭', quantity: 3 });
    const received = await linkOf(report.id, '收到');
    await advanceMinutes(10);
    await waitFor(() => remindersOf(report.id).length === 1, 'the reminder');

    const pressed = await fetch(received, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=%E6%9D%8E%E5%B8%88%E5%82%85',
    });
    expect(pressed.status).toBe(200);
    expect(await confirmationOf(report.id)).toMatchObject({
      status: 'confirmed',
      by_name: '李师傅',
      reminder: 'sent',
      escalation: 'cancelled',
    });

    await advanceMinutes(12);
    expect(escalationsOf(report.id)).toEqual([]);
    expect(await confirmationOf(report.id)).toMatchObject({ escalation: 'cancelled' });
  });

  it('skips an escalation still waiting in the queue when someone confirms: the manager never hears of it', async () => {
    const report = await givenMenuReport(t, { store_id: STORE, dish_name: '鱼香肉丝', quantity: 4 });
    const received = await linkOf(report.id, '收到');
    await advanceMinutes(10);
    await waitFor(() => remindersOf(report.id).length === 1, 'the reminder');
    // The manager's robot fails the escalation's first try: it waits for its retry in the queue.
    sim.state.addFault({ path: '/robot/send', mode: 'http_500', remaining: 1 });
    await advanceMinutes(10);
    const db = t.app.get(DataSource);
    const escalation = async () =>
      (
        await db.query<Array<{ id: string; status: string; hint: string | null }>>(
          `SELECT id, status, hint FROM notifications WHERE kind = 'escalation' AND bot_id = $1
           ORDER BY id DESC LIMIT 1`,
          [managerBot.id],
        )
      )[0];
    await waitFor(async () => (await escalation())?.status === 'retrying', 'the escalation waiting to retry');
    expect(await confirmationOf(report.id)).toMatchObject({ escalation: 'sent' });

    expect((await fetch(received, { method: 'POST' })).status).toBe(200);
    expect(await escalation()).toMatchObject({
      status: 'skipped',
      hint: expect.stringContaining('confirmed') as unknown,
    });
    await advanceMinutes(12);
    expect(escalationsOf(report.id)).toEqual([]);
  });

  it('sends nothing for a report confirmed before its deadline', async () => {
    const report = await givenMenuReport(t, { store_id: STORE, dish_name: '青菜', quantity: 2 });
    const received = await linkOf(report.id, '收到');
    expect((await fetch(received, { method: 'POST' })).status).toBe(200);
    await advanceMinutes(21);
    expect(remindersOf(report.id)).toEqual([]);
    expect(escalationsOf(report.id)).toEqual([]);
    expect(await confirmationOf(report.id)).toMatchObject({ reminder: 'cancelled', escalation: 'cancelled' });
  });
});

describe('kitchen confirmation: two instances, one reminder', () => {
  const clock = new ManualClock();
  const { apps, sim } = useTestApp({
    simulator: true,
    clock,
    env: { PUBLIC_URL },
    instances: ['one', 'two'],
  });

  it('sends each step once when both instances look at the same moment', async () => {
    const [a, b] = apps;
    const robot = sim.state.registerRobot({ secret: 'SECtwo62abcdef0123456789ab' });
    await givenWebhookBot(a, { store_id: 62, ...signedRobotFields(sim, robot) });
    const hqRobot = sim.state.registerRobot({ secret: 'SEChq62abcdef0123456789abcd' });
    const hq = await givenWebhookBot(a, { store_id: 900, ...signedRobotFields(sim, hqRobot) });
    const put = await a.request('PUT', '/api/v1/stores/62/confirmation-settings', {
      body: {
        enabled: true,
        reminder_after_minutes: 5,
        escalation_after_minutes: 6,
        escalation_bot_id: hq.id,
      },
    });
    expect(put.status, put.text).toBe(200);
    const reports = await Promise.all([1, 2, 3].map(() => givenMenuReport(a, { store_id: 62 })));
    // Past both deadlines at once (the scheduler's own runs wait for time to move: here only these runs look).
    clock.set(clock.now() + 7 * 60_000);
    const jobs = [a, b].map((app) => app.app.get(ConfirmationEscalationJob));
    await Promise.all([jobs[0].run(), jobs[1].run(), jobs[0].run(), jobs[1].run()]);
    const db = a.app.get(DataSource);
    const counts: Array<{ kind: string; count: string }> = await db.query(
      `SELECT kind, count(*) FROM notifications WHERE kind IN ('reminder', 'escalation') AND store_id IN (62, 900)
       GROUP BY kind ORDER BY kind`,
    );
    expect(counts).toEqual([
      { kind: 'escalation', count: String(reports.length) },
      { kind: 'reminder', count: String(reports.length) },
    ]);
  });
});
