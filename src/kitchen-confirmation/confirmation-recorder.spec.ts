import { DataSource } from 'typeorm';
import { beforeAll, describe, expect, it } from 'vitest';
import { givenBotOnOwnRobot, stopDispatcher } from '../../test/support/delivery-queue';
import { givenMenuReport } from '../../test/support/given';
import { useTestApp } from '../../test/support/use-test-app';
import { ConfirmationClick, ConfirmationRecorder } from './confirmation-recorder';
import { ConfirmationRefused } from './confirmation-state';

/**
 * The recorder on the real database: a press counts once whatever repeats it (a redelivered callback, two people at
 * once, another instance), moves the action forward only, and confirms the report with the first press on any of
 * its notifications, cancelling its pending reminder and escalation in the same commit.
 */
describe('ConfirmationRecorder', () => {
  const { t } = useTestApp();
  const db = () => t.app.get(DataSource);
  const recorder = () => t.app.get(ConfirmationRecorder);
  const STORE = 811;
  let bots: number[];

  beforeAll(async () => {
    // Nothing is sent: the recorder works on the rows alone.
    await stopDispatcher(t);
    bots = [
      (await givenBotOnOwnRobot(t, { store_id: STORE })).id,
      (await givenBotOnOwnRobot(t, { store_id: STORE })).id,
    ];
  });

  /**
   * A report of the store with a confirmation row for each of its two notifications, its reminder and escalation
   * pending (the rows written directly: this spec is about pressing, not writing).
   */
  const givenConfirmableReport = async () => {
    const report = await givenMenuReport(t, { store_id: STORE });
    await db().query(
      `INSERT INTO report_confirmations (menu_report_id, store_id, reported_at, reminder_due_at, reminder_state,
                                         escalation_due_at, escalation_state)
       VALUES ($1, $2, now(), now() + interval '10 minutes', 'pending', now() + interval '20 minutes', 'pending')`,
      [report.id, STORE],
    );
    for (const notification of report.notifications) {
      await db().query(
        `INSERT INTO notification_confirmations (notification_id, menu_report_id, store_id, bot_id, status, buttons)
         VALUES ($1, $2, $3, $4, 'unconfirmed', $5)`,
        [
          notification.id,
          report.id,
          STORE,
          notification.bot_id,
          JSON.stringify([
            { action: 'received', label: '收到' },
            { action: 'ready', label: '已备好' },
          ]),
        ],
      );
    }
    expect(report.notifications.map((n) => n.bot_id)).toEqual(bots);
    return { reportId: report.id, notificationIds: report.notifications.map((n) => String(n.id)) };
  };
  const press = (notificationId: string, fields: Partial<ConfirmationClick> = {}) =>
    recorder().record({
      notificationId,
      action: 'received',
      userId: 'chef01',
      userName: '张师傅',
      via: 'card',
      dedupeKey: `card:${notificationId}:chef01:received`,
      ...fields,
    });
  const reportRow = async (reportId: number) => {
    const rows: Array<Record<string, unknown>> = await db().query(
      `SELECT * FROM report_confirmations WHERE menu_report_id = $1`,
      [reportId],
    );
    return rows[0];
  };
  const clicks = async (notificationId: string) => {
    const rows: Array<{ effect: string }> = await db().query(
      `SELECT effect FROM confirmation_clicks WHERE notification_id = $1 ORDER BY clicked_at`,
      [notificationId],
    );
    return rows;
  };

  it('confirms the notification and its report with the first press, and cancels the reminder and escalation', async () => {
    const { reportId, notificationIds } = await givenConfirmableReport();
    const answer = await press(notificationIds[0]);
    expect(answer).toMatchObject({
      recorded: true,
      state: {
        notificationId: notificationIds[0],
        menuReportId: reportId,
        storeId: STORE,
        status: 'confirmed',
        action: 'received',
        byUserId: 'chef01',
        byName: '张师傅',
        at: expect.any(Date),
      },
    });
    expect(await reportRow(reportId)).toMatchObject({
      status: 'confirmed',
      confirmed_notification_id: notificationIds[0],
      action: 'received',
      by_name: '张师傅',
      via: 'card',
      reminder_state: 'cancelled',
      escalation_state: 'cancelled',
    });
  });

  it('counts a redelivered press once: same dedupe key, nothing moves', async () => {
    const { notificationIds } = await givenConfirmableReport();
    const first = await press(notificationIds[0]);
    const again = await press(notificationIds[0], { userName: '别人' });
    expect(again).toEqual({ recorded: false, state: first.state });
    expect(await clicks(notificationIds[0])).toEqual([{ effect: 'confirmed' }]);
  });

  it('counts presses at once once, on one notification and across the report', async () => {
    const { reportId, notificationIds } = await givenConfirmableReport();
    const presses = Array.from({ length: 8 }, (_, i) =>
      press(notificationIds[i % 2], {
        userId: `chef${i}`,
        dedupeKey: `card:${notificationIds[i % 2]}:chef${i}:received`,
      }),
    );
    const answers = await Promise.all(presses);
    // Each notification is confirmed by exactly one press; the report by exactly one of those two.
    expect(answers.filter((a) => a.recorded)).toHaveLength(2);
    const report = await reportRow(reportId);
    expect(report.status).toBe('confirmed');
    const winner = answers.find(
      (a) => a.recorded && a.state.notificationId === String(report.confirmed_notification_id),
    );
    expect(winner?.state.byUserId).toBe(report.by_user_id);
  });

  it('moves the action forward (收到, then 已备好), never back', async () => {
    const { reportId, notificationIds } = await givenConfirmableReport();
    await press(notificationIds[0]);
    const ready = await press(notificationIds[0], {
      action: 'ready',
      userId: 'chef02',
      userName: '李师傅',
      dedupeKey: `card:${notificationIds[0]}:chef02:ready`,
    });
    expect(ready).toMatchObject({ recorded: true, state: { action: 'ready', byName: '李师傅' } });
    expect(ready.state.confirmedAt!.getTime()).toBeLessThanOrEqual(ready.state.at!.getTime());
    const back = await press(notificationIds[0], {
      userId: 'chef03',
      dedupeKey: `card:${notificationIds[0]}:chef03:received`,
    });
    expect(back).toMatchObject({ recorded: false, state: { action: 'ready', byName: '李师傅' } });
    expect(await reportRow(reportId)).toMatchObject({
      action: 'ready',
      by_name: '李师傅',
      by_user_id: 'chef02',
    });
    // Another bot's notification of the same report, pressed later: confirmed itself, the report's first stays.
    const other = await press(notificationIds[1], {
      dedupeKey: `card:${notificationIds[1]}:chef01:received`,
    });
    expect(other).toMatchObject({ recorded: true, state: { status: 'confirmed', action: 'received' } });
    expect(await reportRow(reportId)).toMatchObject({
      confirmed_notification_id: notificationIds[0],
      action: 'ready',
    });
  });

  it('refuses a button the notification does not offer, and a notification without a confirmation', async () => {
    const { notificationIds } = await givenConfirmableReport();
    await expect(press(notificationIds[0], { action: 'cancel', dedupeKey: 'x1' })).rejects.toMatchObject({
      reason: 'unknown_action',
    });
    await expect(press('999999999', { dedupeKey: 'x2' })).rejects.toBeInstanceOf(ConfirmationRefused);
    await expect(press('not-a-number', { dedupeKey: 'x3' })).rejects.toMatchObject({ reason: 'not_found' });
    // Refused presses leave nothing behind: the notification can still be confirmed.
    expect(await clicks(notificationIds[0])).toEqual([]);
    expect((await press(notificationIds[0])).recorded).toBe(true);
  });
});
