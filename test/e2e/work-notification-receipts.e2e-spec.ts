import { describe, expect, it } from 'vitest';
import { SimApp } from '../../simulator/core/simulator-state';
import { waitForValue } from '../support/wait-for';
import { useTestApp } from '../support/use-test-app';
import { givenMenuReport, givenStreamBot } from '../support/given';

interface NotificationView {
  id: number;
  status: string;
  hint: string | null;
  attempt_count: number;
  targets: Array<{ target: string; status: string }>;
  recipients: Array<{ user_id: string; outcome: string; errcode: number | null }>;
}

/**
 * A work notification's "errcode 0" only means DingTalk queued it (docs/dingtalk/work-notifications.md): the service
 * asks getsendresult what became of it for each user, records that, and retries only the users who can still get
 * it. Through the simulator's silent daily limits, with the system clock and short waits.
 */
describe('work notifications: what became of them for each user', () => {
  const { sim, t } = useTestApp({
    simulator: true,
    env: {
      DELIVERY_RETRY_SCHEDULE: '100ms,100ms,100ms,100ms,100ms,100ms,100ms,100ms',
      DINGTALK_TIMEOUT_MS: '2000',
      DINGTALK_SEND_RESULT_WAITS: '100ms,100ms,100ms',
    },
  });

  const streamBot = (app: SimApp, storeId: number, userIds: string[]) =>
    givenStreamBot(t, app, { name: 'kitchen', store_id: storeId, user_ids: userIds });
  const report = async (storeId: number, dish: string) =>
    (await givenMenuReport(t, { store_id: storeId, dish_name: dish, quantity: 50 })).notifications[0].id;
  const batch = async (botId: number, content: string) => {
    const response = await t.request('POST', '/api/v1/dingtalk-bots/batch-send', {
      body: { bot_ids: [botId], title: '盘点提醒', content },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    return (response.body.data as { items: Array<{ notification_ids: string[] }> }).items[0]
      .notification_ids[0];
  };
  const view = async (id: number | string) => {
    const response = await t.request('GET', `/api/v1/notifications/${id}`);
    expect(response.status).toBe(200);
    return response.body.data as NotificationView;
  };
  const settled = (id: number | string, status: string) =>
    waitForValue(async () => {
      const seen = await view(id);
      return seen.status === status ? seen : undefined;
    }, `notification ${id} to become ${status}`);
  const received = (app: SimApp, userId: string) =>
    sim.state.received({ channel: 'work_notification', target: userId, clientId: app.clientId });
  const delivered = (app: SimApp, userId: string) =>
    received(app, userId).filter((message) => message.droppedCode === undefined);

  it('a user past the daily quota is recorded forbidden (143105), an unknown user invalid; the rest delivered', async () => {
    const app = sim.state.registerApp({ recipients: { invalid: ['ghost71'] } });
    // DingTalk's 500 work notifications a day to one user, already spent today.
    for (let i = 0; i < 500; i++) {
      sim.state.record({
        channel: 'work_notification',
        target: 'busy71',
        clientId: app.clientId,
        msgtype: 'markdown',
        title: `earlier ${i}`,
        text: `earlier ${i}`,
        body: {},
        signature: null,
        errcode: 0,
        errmsg: 'ok',
      });
    }
    await streamBot(app, 71, ['manager71', 'busy71', 'ghost71']);

    const id = await report(71, '宫保鸡丁');
    const sent = await settled(id, 'sent');
    expect(sent.recipients).toEqual([
      { user_id: 'manager71', outcome: 'delivered', errcode: null, error_code: null },
      { user_id: 'busy71', outcome: 'forbidden', errcode: 143105, error_code: null },
      { user_id: 'ghost71', outcome: 'invalid', errcode: null, error_code: null },
    ]);
    expect(sent.targets).toEqual([{ target: 'users', status: 'partial' }]);
    expect(sent.hint).toContain('busy71');
    expect(sent.hint).toContain('143105');
    expect(sent.hint).toContain('ghost71');
    expect(sent.attempt_count).toBe(1); // neither is retried: another send would not reach them
    expect(received(app, 'busy71').at(-1)?.droppedCode).toBe(143105);
    expect(delivered(app, 'manager71')).toHaveLength(1);
    // Logged as a warning, not as a plain success.
    expect(t.logs.find(`Notification ${id} to bot`)).toEqual([
      expect.objectContaining({ level: 'warn', msg: expect.stringMatching(/ok, now sent .*busy71/) }),
    ]);
  });

  it('the same content to a user twice a day is recorded as dropped (143106); nobody reached is failed', async () => {
    const app = sim.state.registerApp();
    const bot = await streamBot(app, 72, ['manager72']);
    const content = '#### 盘点提醒\n今晚 21:00 前完成盘点。';
    expect(await settled(await batch(bot.id, content), 'sent')).toMatchObject({
      targets: [{ target: 'users', status: 'sent' }],
      recipients: [{ user_id: 'manager72', outcome: 'delivered' }],
      hint: null,
    });

    // The same text again, now also to a new user: DingTalk drops it for the one who has it already.
    const update = await t.request('PUT', `/api/v1/dingtalk-bots/${bot.id}`, {
      body: { user_ids: ['manager72', 'chef72'] },
    });
    expect(update.status, JSON.stringify(update.body)).toBe(200);
    const again = await settled(await batch(bot.id, content), 'sent');
    expect(again.recipients).toEqual([
      { user_id: 'manager72', outcome: 'forbidden', errcode: 143106, error_code: null },
      { user_id: 'chef72', outcome: 'delivered', errcode: null, error_code: null },
    ]);
    expect(again.targets).toEqual([{ target: 'users', status: 'partial' }]);
    expect(again.hint).toContain('143106');

    // A third time: everyone has it, nobody gets it: not "sent".
    const third = await settled(await batch(bot.id, content), 'failed');
    expect(third.recipients.map((recipient) => [recipient.outcome, recipient.errcode])).toEqual([
      ['forbidden', 143106],
      ['forbidden', 143106],
    ]);
    expect(third.targets).toEqual([{ target: 'users', status: 'failed' }]);
    expect(third.attempt_count).toBe(1);
    expect(delivered(app, 'manager72')).toHaveLength(1);
    expect(delivered(app, 'chef72')).toHaveLength(1);
  });

  it('retries only the users DingTalk failed, never the delivered ones, also on resend', async () => {
    const app = sim.state.registerApp({ recipients: { workFailed: ['flaky73'] } });
    await streamBot(app, 73, ['manager73', 'flaky73']);

    const id = await report(73, '水煮鱼');
    const retrying = await waitForValue(async () => {
      const seen = await view(id);
      return seen.attempt_count >= 1 ? seen : undefined;
    }, 'the first attempt');
    expect(retrying.recipients.find((recipient) => recipient.user_id === 'manager73')?.outcome).toBe(
      'delivered',
    );
    app.recipients.workFailed = []; // DingTalk gets through to flaky73 from now on

    const sent = await settled(id, 'sent');
    expect(sent.attempt_count).toBeGreaterThanOrEqual(2);
    expect(sent.recipients.map((recipient) => recipient.outcome)).toEqual(['delivered', 'delivered']);
    expect(sent.targets).toEqual([{ target: 'users', status: 'sent' }]);
    expect(sent.hint).toBeNull();
    expect(received(app, 'manager73')).toHaveLength(1);
    expect(delivered(app, 'flaky73')).toHaveLength(1);
    // Every send after the first went to flaky73 alone.
    for (const message of received(app, 'flaky73').slice(1)) {
      expect((message.body as { userid_list: string }).userid_list).toBe('flaky73');
    }

    const resend = await t.request('POST', `/api/v1/notifications/${id}/resend`);
    expect(resend.status).toBe(200);
    await waitForValue(async () => {
      const seen = await view(id);
      return seen.status === 'sent' && seen.attempt_count === 1 ? seen : undefined;
    }, 'the resend to be done');
    expect(received(app, 'manager73')).toHaveLength(1);
    expect(received(app, 'flaky73').filter((message) => message.droppedCode === undefined)).toHaveLength(1);
  });

  it('waits for DingTalk to sort the users, and records unconfirmed when it never answers', async () => {
    const app = sim.state.registerApp({ sendResultDelayMs: 150 });
    await streamBot(app, 74, ['manager74']);
    const first = await settled(await report(74, '回锅肉'), 'sent');
    expect(first.recipients).toMatchObject([{ user_id: 'manager74', outcome: 'delivered' }]);
    expect(first.hint).toBeNull();

    sim.state.addFault({
      path: '/topapi/message/corpconversation/getsendresult',
      mode: 'http_500',
      remaining: 100,
    });
    const unanswered = await settled(await report(74, '鱼香肉丝'), 'sent');
    sim.state.faults = [];
    expect(unanswered.recipients).toMatchObject([{ user_id: 'manager74', outcome: 'unconfirmed' }]);
    expect(unanswered.targets).toEqual([{ target: 'users', status: 'unconfirmed' }]);
    expect(unanswered.hint).toContain('never confirmed');
    expect(unanswered.attempt_count).toBe(1); // not sent again: it may well have arrived
    expect(received(app, 'manager74')).toHaveLength(2);
  });

  it('a send whose answer was lost and that DingTalk had delivered is recorded delivered on the retry, not dropped', async () => {
    const app = sim.state.registerApp();
    await streamBot(app, 75, ['manager75', 'chef75']);
    // DingTalk takes the work notification but its answer comes after the service's timeout (2 s).
    sim.state.addFault({
      path: '/topapi/message/corpconversation/asyncsend_v2',
      mode: 'slow',
      delayMs: 4_000,
      remaining: 1,
    });
    const id = await report(75, '麻婆豆腐');
    const sent = await settled(id, 'sent');
    // The retry went to both users; DingTalk dropped it as the same content today (143106): they have it.
    expect(received(app, 'manager75').map((message) => message.droppedCode)).toEqual([undefined, 143106]);
    expect(received(app, 'chef75').map((message) => message.droppedCode)).toEqual([undefined, 143106]);
    expect(sent.recipients).toEqual([
      { user_id: 'manager75', outcome: 'delivered', errcode: null, error_code: null },
      { user_id: 'chef75', outcome: 'delivered', errcode: null, error_code: null },
    ]);
    expect(sent.targets).toEqual([{ target: 'users', status: 'sent' }]);
    expect(sent.attempt_count).toBe(2);
    expect(sent.hint).toBeNull();
  });

  it('a resend to users DingTalk never confirmed records them delivered when DingTalk drops the repeat (143106)', async () => {
    const app = sim.state.registerApp();
    await streamBot(app, 76, ['manager76']);
    sim.state.addFault({
      path: '/topapi/message/corpconversation/getsendresult',
      mode: 'http_500',
      remaining: 100,
    });
    const id = await report(76, '夫妻肺片');
    const unconfirmed = await settled(id, 'sent');
    sim.state.faults = [];
    expect(unconfirmed.recipients).toMatchObject([{ user_id: 'manager76', outcome: 'unconfirmed' }]);

    const resend = await t.request('POST', `/api/v1/notifications/${id}/resend`);
    expect(resend.status).toBe(200);
    const resent = await waitForValue(async () => {
      const seen = await view(id);
      return seen.status !== 'pending' && seen.status !== 'retrying' && seen.attempt_count === 1
        ? seen
        : undefined;
    }, 'the resend to be done');
    expect(received(app, 'manager76').map((message) => message.droppedCode)).toEqual([undefined, 143106]);
    expect(resent.status).toBe('sent');
    expect(resent.recipients).toEqual([
      { user_id: 'manager76', outcome: 'delivered', errcode: null, error_code: null },
    ]);
    expect(resent.targets).toEqual([{ target: 'users', status: 'sent' }]);
  });
});
