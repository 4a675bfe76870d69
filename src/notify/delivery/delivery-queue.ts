import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { MsgType } from '../../dingtalk-bot/entities/dingtalk-bot.entity';
import { DingTalkOutcome } from '../../dingtalk/dingtalk-outcome';
import { buildDigest } from './digest';
import { AttemptVerdict } from './retry-policy';

/** DingTalk's rate limit counts the messages of a sliding minute (protocol §5.5). */
export const RATE_WINDOW_MS = 60_000;

/** A notification this instance has leased and is about to send. */
export interface ClaimedNotification {
  id: string;
  botId: number;
  msgType: MsgType;
  title: string;
  content: string;
  atMobiles: string[];
  atUserIds: string[];
  atAll: boolean;
  attempts: number;
  /** The claim's time, counted as the send's in the bot's rate window until finish() records the real one. */
  claimedAt: number;
}

/** What the status of a bot shows about its deliveries (SPEC §5). */
export interface BotDeliveryState {
  lastDeliveryAt: Date | null;
  lastDeliveryStatus: string | null;
  pending: number;
  rateLimitedUntil: Date | null;
}

const WAITING = `('pending', 'retrying')`;

const SKIPPED_HINT =
  'The bot was disabled or deleted before this notification was sent; resend it once the bot is enabled again.';

/**
 * The notifications table as a queue, shared by every instance on the database. Each method is one short
 * transaction; nothing here waits for DingTalk. Times are the injected clock's (passed in), not the database's,
 * so that tests can move them.
 *
 * Claiming locks the bot's `bot_delivery_states` row (SKIP LOCKED: another instance claiming for that bot is
 * simply passed over), and takes one due notification of a bot that has nothing in flight and has sent fewer
 * than `rate_limit_per_minute` messages in the last minute plus a margin. One message in flight per bot keeps a
 * bot's messages in order and its rate exact; different bots proceed in parallel.
 */
@Injectable()
export class DeliveryQueue {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /**
   * Leases one due notification for each of at most `maxBots` bots. `busyBotIds`: bots this instance is still
   * sending to, passed over even if their lease ran out (a slow send must not be doubled by its own instance).
   */
  async claim(
    owner: string,
    maxBots: number,
    now: number,
    leaseMs: number,
    busyBotIds: readonly number[] = [],
  ): Promise<ClaimedNotification[]> {
    const at = new Date(now);
    const windowStart = now - RATE_WINDOW_MS - this.config.delivery.rateWindowMarginMs;
    return this.dataSource.transaction(async (manager) => {
      await this.skipUndeliverable(manager, at);
      await manager.query(
        `INSERT INTO bot_delivery_states (bot_id)
         SELECT DISTINCT n.bot_id FROM notifications n
         WHERE n.status IN ${WAITING} AND n.next_attempt_at <= $1
           AND NOT EXISTS (SELECT 1 FROM bot_delivery_states s WHERE s.bot_id = n.bot_id)
           AND EXISTS (SELECT 1 FROM ding_talk_bots b WHERE b.id = n.bot_id)
         ON CONFLICT (bot_id) DO NOTHING`,
        [at],
      );
      const bots: Array<{
        bot_id: number;
        recent_sends: number[];
        rate_limit: number;
        notification_id: string;
      }> = await manager.query(
        `SELECT s.bot_id, s.recent_sends, b.rate_limit_per_minute AS rate_limit, due.id AS notification_id
           FROM bot_delivery_states s
           JOIN ding_talk_bots b ON b.id = s.bot_id AND b.is_enabled
           CROSS JOIN LATERAL (
             SELECT n.id FROM notifications n
             WHERE n.bot_id = s.bot_id AND n.status IN ${WAITING} AND n.next_attempt_at <= $1
               AND (n.lease_expires_at IS NULL OR n.lease_expires_at <= $1)
             ORDER BY n.id LIMIT 1
           ) due
           WHERE (s.rate_limited_until IS NULL OR s.rate_limited_until <= $1)
             AND s.bot_id <> ALL($4::integer[])
             AND (SELECT count(*) FROM jsonb_array_elements_text(s.recent_sends) AS sent(at)
                  WHERE sent.at::bigint > $2::bigint) < b.rate_limit_per_minute
             AND NOT EXISTS (SELECT 1 FROM notifications o
                             WHERE o.bot_id = s.bot_id AND o.status IN ${WAITING} AND o.lease_expires_at > $1)
           ORDER BY due.id
           LIMIT $3
           FOR UPDATE OF s SKIP LOCKED`,
        [at, windowStart, maxBots, [...busyBotIds]],
      );
      const claimed: ClaimedNotification[] = [];
      for (const bot of bots) {
        // The locked row is the latest version: count again from it, in case another instance just sent.
        const recent = bot.recent_sends.filter((sentAt) => sentAt > windowStart);
        if (recent.length >= bot.rate_limit) continue;
        const notificationId =
          (await this.mergeBacklog(manager, bot.bot_id, bot.rate_limit, at)) ?? bot.notification_id;
        const rows = updatedRows(
          await manager.query(
            `UPDATE notifications n SET lease_owner = $2, lease_expires_at = $3
             WHERE n.id = $1 AND n.status IN ${WAITING}
               AND (n.lease_expires_at IS NULL OR n.lease_expires_at <= $4)
               AND NOT EXISTS (SELECT 1 FROM notifications o
                               WHERE o.bot_id = n.bot_id AND o.status IN ${WAITING} AND o.lease_expires_at > $4)
             RETURNING n.id, n.bot_id, n.msg_type, n.title, n.content, n.at_mobiles, n.at_user_ids, n.at_all,
                       n.attempts`,
            [notificationId, owner, new Date(now + leaseMs), at],
          ),
        );
        if (rows.length === 0) continue;
        await manager.query(`UPDATE bot_delivery_states SET recent_sends = $2 WHERE bot_id = $1`, [
          bot.bot_id,
          JSON.stringify([...recent, now]),
        ]);
        claimed.push({ ...toClaimed(rows[0]), claimedAt: now });
      }
      return claimed;
    });
  }

  /**
   * Records an attempt and what follows from it. The notification changes only while this instance still holds
   * its lease: an answer that arrives after the lease ran out (and another instance took the row over) is
   * recorded as an attempt but decides nothing. Returns whether the lease was still held.
   */
  async finish(
    claimed: ClaimedNotification,
    owner: string,
    startedAt: number,
    outcome: DingTalkOutcome,
    verdict: AttemptVerdict,
    now: number,
  ): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      // The bot's row first, as claim() does, so that two instances never lock the two rows in opposite order.
      // The send now counts in the rate window from when it really started rather than from its claim: the
      // claim may have waited for a database connection, and DingTalk counts arrivals.
      await manager.query(
        `UPDATE bot_delivery_states
         SET last_delivery_at = $2, last_delivery_status = $3,
             rate_limited_until = COALESCE($4::timestamptz, rate_limited_until),
             recent_sends = (SELECT COALESCE(jsonb_agg(CASE WHEN sent::bigint = $5::bigint
                                                            THEN to_jsonb($6::bigint) ELSE sent END), '[]')
                             FROM jsonb_array_elements(recent_sends) AS sent)
         WHERE bot_id = $1`,
        [
          claimed.botId,
          new Date(now),
          outcome.kind === 'throttled' ? 'throttled' : verdict.status,
          verdict.pauseBotUntil === null ? null : new Date(verdict.pauseBotUntil),
          claimed.claimedAt,
          Math.max(claimed.claimedAt, startedAt),
        ],
      );
      const updated = updatedRows(
        await manager.query(
          `UPDATE notifications
           SET status = $3, attempts = $4, next_attempt_at = COALESCE($5::timestamptz, next_attempt_at),
               lease_owner = NULL, lease_expires_at = NULL, last_error = $6, hint = $7,
               sent_at = $8::timestamptz, updated_at = $9
           WHERE id = $1 AND lease_owner = $2
           RETURNING id`,
          [
            claimed.id,
            owner,
            verdict.status,
            verdict.attempts,
            verdict.nextAttemptAt === null ? null : new Date(verdict.nextAttemptAt),
            outcome.kind === 'ok' ? null : describeFailure(outcome),
            verdict.hint,
            verdict.status === 'sent' ? new Date(now) : null,
            new Date(now),
          ],
        ),
      );
      await manager.query(
        `INSERT INTO notification_attempts (notification_id, at, outcome, http_status, errcode, errmsg, latency_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          claimed.id,
          new Date(startedAt),
          outcome.kind,
          outcome.httpStatus,
          outcome.errcode === null ? null : String(outcome.errcode).slice(0, 100),
          outcome.errmsg,
          Math.round(outcome.latencyMs),
        ],
      );
      return updated.length === 1;
    });
  }

  /**
   * When there may next be something to claim: the earliest moment a waiting notification is due, its bot's
   * throttle pause is over and its rate window has room, or another instance's lease runs out. Null: nothing waits.
   */
  async nextWakeAt(now: number): Promise<number | null> {
    const at = new Date(now);
    const margin = this.config.delivery.rateWindowMarginMs;
    const bots: Array<{
      due_at: Date;
      rate_limited_until: Date | null;
      recent_sends: number[] | null;
      rate_limit: number;
    }> = await this.dataSource.query(
      `SELECT min(n.next_attempt_at) AS due_at, s.rate_limited_until, s.recent_sends,
              b.rate_limit_per_minute AS rate_limit
       FROM notifications n
       JOIN ding_talk_bots b ON b.id = n.bot_id
       LEFT JOIN bot_delivery_states s ON s.bot_id = n.bot_id
       WHERE n.status IN ${WAITING} AND (n.lease_expires_at IS NULL OR n.lease_expires_at <= $1)
       GROUP BY n.bot_id, s.rate_limited_until, s.recent_sends, b.rate_limit_per_minute`,
      [at],
    );
    const [lease]: Array<{ expires: Date | null }> = await this.dataSource.query(
      `SELECT min(lease_expires_at) AS expires FROM notifications
       WHERE status IN ${WAITING} AND lease_expires_at > $1`,
      [at],
    );
    const candidates = bots.map((bot) => {
      const recent = (bot.recent_sends ?? [])
        .filter((sentAt) => sentAt > now - RATE_WINDOW_MS - margin)
        .sort((a, b) => a - b);
      const windowFree =
        recent.length >= bot.rate_limit
          ? recent[recent.length - bot.rate_limit] + RATE_WINDOW_MS + margin + 1
          : 0;
      return Math.max(bot.due_at.getTime(), bot.rate_limited_until?.getTime() ?? 0, windowFree);
    });
    if (lease?.expires) candidates.push(lease.expires.getTime());
    return candidates.length === 0 ? null : Math.min(...candidates);
  }

  /** Gives up this instance's leases (shutdown), so that the rows are due again at once for whoever runs. */
  async releaseLeases(owner: string): Promise<number> {
    return updatedRows(
      await this.dataSource.query(
        `UPDATE notifications SET lease_owner = NULL, lease_expires_at = NULL
         WHERE lease_owner = $1 AND status IN ${WAITING} RETURNING id`,
        [owner],
      ),
    ).length;
  }

  /**
   * With the embedded database only one process can run (DATA_DIR is locked), so every lease found at start-up
   * belongs to a process that died: they need not run out first.
   */
  async releaseAllLeases(): Promise<number> {
    return updatedRows(
      await this.dataSource.query(
        `UPDATE notifications SET lease_owner = NULL, lease_expires_at = NULL
         WHERE lease_owner IS NOT NULL AND status IN ${WAITING} RETURNING id`,
      ),
    ).length;
  }

  async botState(botId: number): Promise<BotDeliveryState> {
    const [row]: Array<{
      last_delivery_at: Date | null;
      last_delivery_status: string | null;
      rate_limited_until: Date | null;
      pending: string;
    }> = await this.dataSource.query(
      `SELECT s.last_delivery_at, s.last_delivery_status, s.rate_limited_until,
              (SELECT count(*) FROM notifications n WHERE n.bot_id = $1 AND n.status IN ${WAITING}) AS pending
       FROM (SELECT $1::integer AS bot_id) bot
       LEFT JOIN bot_delivery_states s ON s.bot_id = bot.bot_id`,
      [botId],
    );
    return {
      lastDeliveryAt: row.last_delivery_at,
      lastDeliveryStatus: row.last_delivery_status,
      pending: Number(row.pending),
      rateLimitedUntil: row.rate_limited_until,
    };
  }

  /** Waiting notifications and the age of the oldest one (database time, as created_at is). */
  async backlog(): Promise<{ pending: number; oldestSeconds: number }> {
    const [row]: Array<{ pending: string; oldest: string | null }> = await this.dataSource.query(
      `SELECT count(*) AS pending, EXTRACT(EPOCH FROM now() - min(created_at)) AS oldest
       FROM notifications WHERE status IN ${WAITING}`,
    );
    return {
      pending: Number(row.pending),
      oldestSeconds: row.oldest === null ? 0 : Math.max(0, Number(row.oldest)),
    };
  }

  /**
   * SPEC §7: when a bot's backlog would wait longer than a minute (more waiting menu-report notifications than it
   * may send in one), they are merged into one markdown digest, which is returned to be sent now. The merged rows
   * stay in the log as `merged`, naming the digest. Retries are left alone: they already went out once.
   */
  private async mergeBacklog(
    manager: EntityManager,
    botId: number,
    rateLimit: number,
    at: Date,
  ): Promise<string | null> {
    const waiting: Array<{
      id: string;
      title: string;
      menu_report_id: number | null;
      store_id: number;
      at_mobiles: string[];
      at_user_ids: string[];
      at_all: boolean;
    }> = await manager.query(
      `SELECT n.id, n.title, n.menu_report_id, n.store_id, n.at_mobiles, n.at_user_ids, n.at_all
       FROM notifications n
       WHERE n.bot_id = $1 AND n.status = 'pending' AND n.kind = 'menu_report' AND n.attempts = 0
         AND n.next_attempt_at <= $2 AND (n.lease_expires_at IS NULL OR n.lease_expires_at <= $2)
       ORDER BY n.id LIMIT 1000`,
      [botId, at],
    );
    if (waiting.length <= rateLimit) return null;
    const digest = buildDigest(
      waiting[0].store_id,
      waiting.map((row) => ({ id: String(row.id), title: row.title, menuReportId: row.menu_report_id })),
    );
    const first = waiting[0];
    const [created]: Array<{ id: string }> = await manager.query(
      `INSERT INTO notifications (bot_id, store_id, kind, status, msg_type, title, content, at_mobiles, at_user_ids,
                                  at_all, next_attempt_at, created_at, updated_at)
       VALUES ($1, $2, 'digest', 'pending', 'markdown', $3, $4, $5, $6, $7, $8, now(), now())
       RETURNING id`,
      [
        botId,
        first.store_id,
        digest.title.slice(0, 200),
        digest.content,
        JSON.stringify(first.at_mobiles),
        JSON.stringify(first.at_user_ids),
        first.at_all,
        at,
      ],
    );
    await manager.query(
      `UPDATE notifications SET status = 'merged', merged_into = $1, updated_at = $3 WHERE id = ANY($2::bigint[])`,
      [created.id, digest.included.map((item) => item.id), at],
    );
    return String(created.id);
  }

  /** Nothing may reach a disabled or deleted bot (SPEC §1): its waiting notifications are skipped, with why. */
  private async skipUndeliverable(manager: EntityManager, at: Date): Promise<void> {
    await manager.query(
      `UPDATE notifications n
       SET status = 'skipped', hint = $2, lease_owner = NULL, lease_expires_at = NULL, updated_at = $1
       WHERE n.status IN ${WAITING} AND (n.lease_expires_at IS NULL OR n.lease_expires_at <= $1)
         AND NOT EXISTS (SELECT 1 FROM ding_talk_bots b WHERE b.id = n.bot_id AND b.is_enabled)`,
      [at, SKIPPED_HINT],
    );
  }
}

/** TypeORM answers an UPDATE … RETURNING with `[rows, count]`, a SELECT with the rows. */
function updatedRows(result: unknown): Array<Record<string, unknown>> {
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as Array<Record<string, unknown>>;
  }
  return result as Array<Record<string, unknown>>;
}

function toClaimed(row: Record<string, unknown>): Omit<ClaimedNotification, 'claimedAt'> {
  return {
    id: String(row.id),
    botId: Number(row.bot_id),
    msgType: row.msg_type as MsgType,
    title: row.title as string,
    content: row.content as string,
    atMobiles: row.at_mobiles as string[],
    atUserIds: row.at_user_ids as string[],
    atAll: row.at_all as boolean,
    attempts: Number(row.attempts),
  };
}

function describeFailure(outcome: DingTalkOutcome): string {
  const code = outcome.errcode === null ? '' : `errcode ${outcome.errcode}: `;
  return `${code}${outcome.errmsg}`.slice(0, 2000);
}
