import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../../../common/clock';
import { prepared } from '../../../database/prepared-statements';
import { rowsOf } from '../../../database/query-rows';
import { DingTalkOutcome } from '../../../dingtalk/dingtalk-outcome';
import { SEND_HEALTH, SendHealthChange, SendHealthWrite } from '../../send-health';
import { deliveryOutcomes } from '../delivery-outcomes';
import { ClusterBlock, SendResult } from './claimed-notification';
import { LEASE_FREE, WAITING } from './queue-conditions';
import { pauseKey, ROBOTS_AFTER_SENDS } from './rate-window.repository';

/**
 * The finished sends' notifications (where their claim still holds them) and every attempt, after the bots' state
 * rows are locked: the lock order (a bot's state row before its notifications), in the same round trip. The lock
 * is an uncorrelated subquery in the WHERE, which PostgreSQL runs once, before the scan (a one-time filter).
 */
const RECORD_RESULTS = prepared(
  'delivery.record-results',
  `WITH locked AS MATERIALIZED (
     SELECT bot_id FROM bot_delivery_states WHERE bot_id = ANY($19::integer[]) ORDER BY bot_id FOR UPDATE),
   attempts AS (
     INSERT INTO notification_attempts (notification_id, at, outcome, http_status, errcode, errmsg, latency_ms)
     SELECT * FROM unnest($2::bigint[], $10::timestamptz[], $11::text[], $12::integer[], $13::text[],
                          $14::text[], $15::integer[]))
   UPDATE notifications n
   SET status = r.status, attempts = r.attempts, next_attempt_at = COALESCE(r.next_attempt_at, n.next_attempt_at),
       lease_owner = NULL, lease_expires_at = NULL, claim = NULL, last_error = r.last_error, hint = r.hint,
       sent_at = r.sent_at, updated_at = r.finished_at, remaining_targets = r.remaining_targets::jsonb,
       recipients = COALESCE(r.recipients::jsonb, n.recipients),
       target_outcomes = COALESCE(r.target_outcomes::jsonb, n.target_outcomes)
   FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::integer[], $5::timestamptz[], $6::text[], $7::text[],
               $8::timestamptz[], $9::timestamptz[], $16::text[], $17::text[], $18::text[])
        AS r(claim, id, status, attempts, next_attempt_at, last_error, hint, sent_at, finished_at, remaining_targets,
             recipients, target_outcomes)
   -- The claim alone is not enough: a row folded into a digest or skipped meanwhile is no longer waiting, and a
   -- late result must not bring it back (it would go alone and inside its digest).
   WHERE n.id = r.id AND n.claim = r.claim AND n.status IN ${WAITING}
     AND (SELECT count(*) FROM locked) >= 0
   RETURNING n.id`,
);
/**
 * The bots' states after their sends: freed, with their next due moment. Also for a result whose claim no longer holds
 * its notification (a resend cleared it) while the bot is still busy with that claim: the send is over, so the bot is
 * free; its last delivery is then not this result's. In the same round trip, the robots' rows (ROBOTS_AFTER_SENDS):
 * whatever became of the claim, the send was made; and what the answers say of the bots' health (`health`, the
 * SendHealthWrite port's CTEs over `answers`), whose changes the statement returns. A statement of its own, after
 * RECORD_RESULTS locked the bots' state rows: its snapshot sees every recording of these bots committed before.
 */
function freeBotsStatement(health: SendHealthWrite): string {
  return `WITH moves AS (
     SELECT m.robot_key, m.stamp, row_number() OVER (PARTITION BY m.robot_key, m.stamp) AS nth
     FROM unnest($11::text[], $12::double precision[]) AS m(robot_key, stamp)),
   ${ROBOTS_AFTER_SENDS},
   answers AS (
     SELECT * FROM unnest($2::integer[], $3::timestamptz[], $13::text[], $14::text[], $15::text[], $16::text[],
                          $17::text[], $5::timestamptz[])
            AS a(bot_id, at, outcome, status, detail, hint, pause_scope, pause_until)),
   ${health.ctes('answers')},
   freed AS (
     UPDATE bot_delivery_states s
     SET last_delivery_at = CASE WHEN r.held THEN r.finished_at ELSE s.last_delivery_at END,
         last_delivery_status = CASE WHEN r.held THEN r.status ELSE s.last_delivery_status END,
         rate_limited_until = COALESCE(r.pause_until, s.rate_limited_until),
         busy_until = NULL, busy_owner = NULL, busy_claim = NULL,
         next_due_at = (SELECT CASE WHEN min(n.next_attempt_at) IS NULL THEN NULL
                                    ELSE GREATEST(min(n.next_attempt_at), r.pause_until, s.rate_limited_until) END
                        FROM notifications n
                        WHERE n.bot_id = s.bot_id AND n.status IN ${WAITING} AND ${LEASE_FREE('n')})
     FROM unnest($1::bigint[], $2::integer[], $3::timestamptz[], $4::text[], $5::timestamptz[], $6::boolean[])
          AS r(claim, bot_id, finished_at, status, pause_until, held)
     -- bot_id = ANY: the planner reaches the rows by their key; through the join alone it scans every bot's state.
     WHERE s.bot_id = ANY($2::integer[]) AND s.bot_id = r.bot_id AND s.busy_claim = r.claim)
   SELECT * FROM health_changes`;
}
/**
 * A digest that failed for good says so on the reports folded into it, which would otherwise sit as `merged`
 * with nothing on them to tell that they never arrived; resending the digest sends them all, and once it is
 * sent the note goes. (Only digests: the statement runs only for rounds that ended one.)
 */
const NOTE_DIGEST_OUTCOMES = `UPDATE notifications n
       SET hint = CASE WHEN d.status = 'failed'
                       THEN 'Folded into digest ' || d.id || ', which failed (see its hint): this report did not '
                            || 'arrive. Resend notification ' || d.id || ' to send it with the others.'
                  END
       FROM unnest($1::bigint[], $2::text[]) AS d(id, status)
       WHERE n.merged_into = d.id AND n.status = 'merged'`;

/** What recording a round's results came to. */
export interface Recorded {
  /** The bots whose health the answers changed (committed with the recording): to be told once it commits. */
  healthChanges: SendHealthChange[];
  /** Ids of the results whose claim still held the row (the others were taken over or resent). */
  held: Set<string>;
  /** DingTalk's IP block, if a result answered one: the round writes it last (the budget row after every other). */
  block: ClusterBlock | null;
}

/** A robot row the recorded sends change: its window entries move; a throttle answer pauses it. */
interface RobotAfterSends {
  key: string;
  pauseMs: number | null;
  hint: string | null;
}

/**
 * The outcome of sends, written: every attempt logged, each notification's new status where its claim still holds
 * it, the bots freed with their next due moment, and what the sends did to their robots (window entries moved to
 * the recording, throttle pauses), and what the answers say of the bots' health. Two statements whatever the number
 * of results, inside the round's transaction.
 */
@Injectable()
export class RecordingRepository {
  private readonly freeBots: string;

  constructor(
    private readonly clock: Clock,
    @Inject(SEND_HEALTH) health: SendHealthWrite,
  ) {
    this.freeBots = prepared('delivery.free-bots', freeBotsStatement(health));
  }

  /**
   * Records finished sends in two statements whatever their number: the bots' state rows locked with the
   * notifications (only where the send's claim still holds the row) and every attempt, then the bots' states (freed,
   * with their next due moment, where the claim still holds the bot: a statement of its own, whose snapshot sees
   * the notifications just recorded and whatever was committed before the lock was granted) with their robots'
   * rows (window entries moved to the recording, throttle pauses) and the bots' health (SendHealthWrite: the
   * answers and what they say of the bots commit together, or neither).
   */
  async record(manager: EntityManager, results: readonly SendResult[]): Promise<Recorded> {
    if (results.length === 0) return { held: new Set(), block: null, healthChanges: [] };
    const botIds = [...new Set(results.map((result) => result.claimed.botId))].sort((a, b) => a - b);
    // Every attempt is logged, also one whose lease was lost meanwhile (it did reach DingTalk); CTEs, so the lock,
    // the log and the statuses are one round trip.
    const heldRows = rowsOf<{ id: string }>(
      await manager.query(RECORD_RESULTS, [
        results.map((r) => r.claimed.claim),
        results.map((r) => r.claimed.id),
        results.map((r) => r.verdict.status),
        results.map((r) => r.verdict.attempts),
        results.map((r) => optionalDate(r.verdict.nextAttemptAt)),
        results.map((r) => (r.outcome.kind === 'ok' ? null : describeFailure(r.outcome))),
        results.map((r) => r.verdict.hint),
        results.map((r) => (r.verdict.status === 'sent' ? new Date(r.finishedAt) : null)),
        results.map((r) => new Date(r.finishedAt)),
        results.map((r) => new Date(r.startedAt)),
        results.map((r) => r.outcome.kind),
        results.map((r) => r.outcome.httpStatus),
        results.map((r) => (r.outcome.errcode === null ? null : String(r.outcome.errcode).slice(0, 100))),
        results.map((r) => r.outcome.errmsg),
        results.map((r) => Math.round(r.outcome.latencyMs)),
        results.map((r) =>
          r.outcome.remainingTargets === null ? null : JSON.stringify(r.outcome.remainingTargets),
        ),
        // Null keeps what the row has: a send that did not get as far as the users leaves their outcomes as they were.
        results.map((r) => (r.outcome.recipients ? JSON.stringify(r.outcome.recipients) : null)),
        results.map((r) => (r.outcome.targets ? JSON.stringify(r.outcome.targets) : null)),
        botIds,
      ]),
    );
    const held = new Set(heldRows.map((row) => String(row.id)));
    // A bot another claim holds now is left to that claim (freeBots matches the claim). Its robots' rows after the
    // state rows: the lock order. A throttle answer holds whatever became of the lease: DingTalk said so.
    const { robots, block } = robotsAfter(results);
    const answers = deliveryOutcomes(results);
    const healthChanges = rowsOf<SendHealthChange>(
      await manager.query(this.freeBots, [
        results.map((r) => r.claimed.claim),
        results.map((r) => r.claimed.botId),
        results.map((r) => new Date(r.finishedAt)),
        results.map((r) => (r.outcome.kind === 'throttled' ? 'throttled' : r.verdict.status)),
        results.map((r) => (r.verdict.pause === null ? null : new Date(r.finishedAt + r.verdict.pause.ms))),
        results.map((r) => held.has(r.claimed.id)),
        robots.map((robot) => robot.key),
        robots.map((robot) => robot.pauseMs),
        this.clock.databaseNowOverride(),
        robots.map((robot) => robot.hint),
        results.map((r) => r.claimed.robotKey),
        results.map((r) => r.claimed.windowStamp),
        answers.map((a) => a.outcome),
        answers.map((a) => a.status),
        answers.map((a) => a.detail),
        answers.map((a) => a.hint),
        answers.map((a) => a.pause?.scope ?? null),
      ]),
    );
    const endedDigests = results.filter(
      (r) =>
        held.has(r.claimed.id) &&
        r.claimed.kind === 'digest' &&
        (r.verdict.status === 'failed' || r.verdict.status === 'sent'),
    );
    if (endedDigests.length > 0) {
      await manager.query(NOTE_DIGEST_OUTCOMES, [
        endedDigests.map((r) => r.claimed.id),
        endedDigests.map((r) => r.verdict.status),
      ]);
    }
    return { held, block, healthChanges };
  }
}

/**
 * The robot rows recorded sends change (ROBOTS_AFTER_SENDS), in key order: every send's robot (its window entry
 * moves), and a throttle answer's robot or app (its pause: the longest asked for wins). And DingTalk's IP block if
 * one was answered (the longest), which the round writes last (the budget row after every other).
 */
function robotsAfter(results: readonly SendResult[]): {
  robots: RobotAfterSends[];
  block: ClusterBlock | null;
} {
  const robots = new Map<string, RobotAfterSends>();
  let block: ClusterBlock | null = null;
  // A pause's hint is DingTalk's answer (the outcome's): the verdict's may speak of the one message (a test's).
  for (const { verdict, claimed, outcome } of results) {
    if (!robots.has(claimed.robotKey))
      robots.set(claimed.robotKey, { key: claimed.robotKey, pauseMs: null, hint: null });
    if (verdict.pause === null) continue;
    if (verdict.pause.scope === 'cluster') {
      if (!block || block.ms < verdict.pause.ms) block = { ms: verdict.pause.ms, hint: outcome.hint };
      continue;
    }
    const key = pauseKey(verdict.pause, claimed.robotKey, claimed.appKey);
    const known = robots.get(key);
    if (!known || known.pauseMs === null || known.pauseMs < verdict.pause.ms)
      robots.set(key, { key, pauseMs: verdict.pause.ms, hint: outcome.hint });
  }
  return { robots: [...robots.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)), block };
}

function optionalDate(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}

function describeFailure(outcome: DingTalkOutcome): string {
  const code = outcome.errcode === null ? '' : `errcode ${outcome.errcode}: `;
  return `${code}${outcome.errmsg}`.slice(0, 2000);
}
