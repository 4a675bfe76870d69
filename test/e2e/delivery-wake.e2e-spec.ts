import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { givenMenuReport, givenRobotAnswers, givenWebhookBot, robotWebhook } from '../support/given';
import { useTestApp } from '../support/use-test-app';
import { waitFor } from '../support/wait-for';

/**
 * Whatever enters the outbox leaves at once: its commit is the dispatcher's one wake signal
 * (src/notify/notification-outbox.ts). The sweep, the safety net that would otherwise find the rows, is ten minutes
 * away, so a path that wrote without the signal would wait that long.
 */
describe('the outbox wakes the dispatcher', () => {
  const { sim, t } = useTestApp({ simulator: true, env: { DELIVERY_POLL_INTERVAL_MS: String(10 * 60_000) } });
  const SOON_MS = 5_000;
  const accepted = (token: string) => sim.state.received({ target: token, accepted: true });
  const statusOf = async (id: number) =>
    (await t.request('GET', `/api/v1/notifications/${id}`)).body.data.status as string;

  it('for a report, with and without an Idempotency-Key', async () => {
    const robot = sim.state.registerRobot();
    await givenWebhookBot(t, { store_id: 901, webhook: robotWebhook(sim, robot) });
    await givenMenuReport(t, { store_id: 901, dish_name: '宫保鸡丁' });
    await waitFor(() => accepted(robot.token).length === 1, 'the report', SOON_MS);
    const keyed = await t.request('POST', '/api/v1/menu-reports', {
      body: { store_id: 901, dish_name: '回锅肉', quantity: 1, unit: '份' },
      headers: { 'idempotency-key': 'wake-report-1' },
    });
    expect(keyed.status, keyed.text).toBe(201);
    await waitFor(() => accepted(robot.token).length === 2, 'the report with a key', SOON_MS);
  });

  it('for a report whose bot a round holds: the write does not wait, and the bot is marked due after it', async () => {
    const robot = sim.state.registerRobot();
    const bot = await givenWebhookBot(t, { store_id: 904, webhook: robotWebhook(sim, robot) });
    const first = await givenMenuReport(t, { store_id: 904, dish_name: '鱼香肉丝' });
    // Recorded, not only received: the recording takes the bot's state row too.
    const firstId = first.notifications[0].id;
    await waitFor(async () => (await statusOf(firstId)) === 'sent', 'the first report recorded', SOON_MS);
    // A round (of another instance, say) holds the bot's state row, and will commit what its snapshot showed: nothing
    // waiting, so no due moment. The report written meanwhile is not in that snapshot.
    const db = t.app.get(DataSource);
    const round = db.createQueryRunner();
    await round.startTransaction();
    let report: Promise<{ status: number; text: string }> | undefined;
    try {
      await round.query('UPDATE bot_delivery_states SET next_due_at = NULL WHERE bot_id = $1', [bot.id]);
      let answered = false;
      report = t
        .request('POST', '/api/v1/menu-reports', {
          body: { store_id: 904, dish_name: '麻婆豆腐', quantity: 1, unit: '份' },
        })
        .finally(() => (answered = true));
      // Answered while the round still holds the row (a write that waited for it would wait for ever here).
      await waitFor(() => answered, 'the report answered while a round holds its bot', SOON_MS);
      await round.commitTransaction();
    } finally {
      if (round.isTransactionActive) await round.rollbackTransaction();
      await round.release();
    }
    const answer = await report;
    expect(answer.status, answer.text).toBe(201);
    // Marked due by the dispatcher once the report committed: the sweep is ten minutes away.
    await waitFor(
      () => accepted(robot.token).length === 2,
      'the report written while the round held its bot',
      SOON_MS,
    );
  });

  it('for a batch send', async () => {
    const robot = sim.state.registerRobot();
    const bot = await givenWebhookBot(t, { store_id: 902, webhook: robotWebhook(sim, robot) });
    const sent = await t.request('POST', '/api/v1/dingtalk-bots/batch-send', {
      body: { bot_ids: [bot.id], msg_type: 'text', content: '盘点提醒' },
    });
    expect(sent.status, sent.text).toBe(202);
    await waitFor(() => accepted(robot.token).length === 1, 'the batch send', SOON_MS);
  });

  it('for a resend', async () => {
    const robot = sim.state.registerRobot();
    await givenWebhookBot(t, { store_id: 903, webhook: robotWebhook(sim, robot) });
    givenRobotAnswers(sim, 310000, 'keywords not in content');
    const report = await givenMenuReport(t, { store_id: 903 });
    const id = report.notifications[0].id;
    await waitFor(async () => (await statusOf(id)) === 'failed', 'the refused report', SOON_MS);
    const resent = await t.request('POST', `/api/v1/notifications/${id}/resend`);
    expect(resent.status, resent.text).toBe(200);
    await waitFor(() => accepted(robot.token).length === 1, 'the resent report', SOON_MS);
  });
});
