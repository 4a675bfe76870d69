import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { NotificationDispatcher } from '../../src/notify/delivery/dispatcher/notification-dispatcher';
import { ClaimedNotification, SendResult } from '../../src/notify/delivery/queue/claimed-notification';
import { CycleRequest, DeliveryQueue } from '../../src/notify/delivery/queue/delivery-queue';
import { AttemptVerdict } from '../../src/notify/delivery/retry-policy';
import { SendOutcome } from '../../src/dingtalk-bot/bot-sender';
import { givenWebhookBot, CreatedBot, BotFields } from './given';
import { TestApp } from './test-app';

/*
 * For the specs of the delivery queue's repositories: the application runs, but its dispatcher is stopped, so that
 * the test alone claims and records, as an instance would.
 */

/** Stops the application's own dispatcher: what is queued then waits for the test's claims. */
export async function stopDispatcher(t: TestApp): Promise<void> {
  await t.app.get(NotificationDispatcher).beforeApplicationShutdown();
}

/** A webhook bot on a robot of its own (a fresh token): its rate window is the test's alone. */
export function givenBotOnOwnRobot(t: TestApp, fields: BotFields = {}): Promise<CreatedBot> {
  const token = randomBytes(16).toString('hex');
  return givenWebhookBot(t, {
    webhook: `https://oapi.dingtalk.com/robot/send?access_token=${token}`,
    ...fields,
  });
}

/**
 * One round of the queue that only claims: up to `maxClaims` due notifications of the bots `forBots` (every other
 * bot is passed over as busy: what earlier tests of the file left waiting stays out of it), for `owner`, at `now`.
 */
export async function claimDue(
  t: TestApp,
  forBots: readonly number[],
  request: Partial<CycleRequest> & Pick<CycleRequest, 'now'>,
): Promise<ClaimedNotification[]> {
  const others: Array<{ id: number }> = await t.app
    .get(DataSource)
    .query(`SELECT id FROM ding_talk_bots WHERE id <> ALL($1::integer[])`, [forBots]);
  const answer = await t.app.get(DeliveryQueue).cycle({
    owner: 'test-instance',
    results: [],
    maxClaims: 1,
    busyBotIds: others.map((bot) => bot.id),
    leaseMs: 60_000,
    ...request,
  });
  return answer.claimed;
}

/** DingTalk's "ok". */
export const OK: SendOutcome = {
  kind: 'ok',
  httpStatus: 200,
  errcode: 0,
  errmsg: 'ok',
  hint: null,
  latencyMs: 5,
  remainingTargets: null,
};

/** A finished send of `claimed` at `at`: sent unless the verdict says otherwise. */
export function sendResult(
  claimed: ClaimedNotification,
  at: number,
  outcome: SendOutcome = OK,
  verdict: Partial<AttemptVerdict> = {},
): SendResult {
  return {
    claimed,
    startedAt: at,
    finishedAt: at,
    outcome,
    verdict: {
      status: 'sent',
      attempts: claimed.attempts + 1,
      nextAttemptAt: null,
      pause: null,
      hint: null,
      ...verdict,
    },
  };
}

/** The lease of `notificationId` and of its bot ran out (their instance stalled), by the database's clock. */
export async function expireLease(db: DataSource, notificationId: string, botId: number): Promise<void> {
  await db.query(`UPDATE notifications SET lease_expires_at = now() - interval '1 second' WHERE id = $1`, [
    notificationId,
  ]);
  await db.query(
    `UPDATE bot_delivery_states SET busy_until = now() - interval '1 second', next_due_at = now() - interval '1 second'
     WHERE bot_id = $1`,
    [botId],
  );
}
