import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../../common/clock';
import { databaseNow } from '../../../database/database-time';
import { WAITING } from './queue-conditions';

const BOT_STATE = (override: string) => `SELECT s.last_delivery_at, s.last_delivery_status,
              GREATEST(s.rate_limited_until, robot.paused_until, app.paused_until,
                       CASE WHEN c.blocked_until > ${databaseNow(override)} THEN c.blocked_until END) AS rate_limited_until,
              CASE WHEN c.blocked_until > ${databaseNow(override)} THEN c.block_hint
                   WHEN app.paused_until > ${databaseNow(override)} THEN app.pause_hint
                   WHEN robot.paused_until > ${databaseNow(override)} THEN robot.pause_hint END AS pause_hint,
              (SELECT count(*) FROM notifications n WHERE n.bot_id = $1 AND n.status IN ${WAITING}) AS pending
       FROM (SELECT $1::integer AS bot_id) bot
       LEFT JOIN bot_delivery_states s ON s.bot_id = bot.bot_id
       LEFT JOIN ding_talk_bots b ON b.id = bot.bot_id
       LEFT JOIN robot_rate_windows robot ON robot.robot_key = COALESCE(b.robot_key, 'bot:' || b.id)
       LEFT JOIN robot_rate_windows app ON app.robot_key = b.app_key
       LEFT JOIN dingtalk_call_budget c ON c.id = 1`;
const BACKLOG = `SELECT count(*) AS pending, EXTRACT(EPOCH FROM $1::timestamptz - min(queued_at)) AS oldest
       FROM notifications WHERE status IN ${WAITING}`;

/** What the status of a bot shows about its deliveries. */
export interface BotDeliveryState {
  lastDeliveryAt: Date | null;
  lastDeliveryStatus: string | null;
  pending: number;
  /** The latest of the pauses that hold the bot back: its robot's, its app's. */
  rateLimitedUntil: Date | null;
  /** Why, in plain words (DingTalk's answer and what to do), while a pause lasts. */
  pauseHint: string | null;
}

interface BotStateRow {
  last_delivery_at: Date | null;
  last_delivery_status: string | null;
  rate_limited_until: Date | null;
  pause_hint: string | null;
  /** count(*): a bigint, as text. */
  pending: string;
}

/** The queue as the status and the metrics show it: one bot's deliveries, the backlog of all. */
@Injectable()
export class DeliveryStateRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async botState(botId: number): Promise<BotDeliveryState> {
    const [row]: BotStateRow[] = await this.dataSource.query(BOT_STATE('$2'), [
      botId,
      this.clock.databaseNowOverride(),
    ]);
    return {
      lastDeliveryAt: row.last_delivery_at,
      lastDeliveryStatus: row.last_delivery_status,
      pending: Number(row.pending),
      rateLimitedUntil: row.rate_limited_until,
      pauseHint: row.pause_hint,
    };
  }

  /**
   * Waiting notifications and how long the oldest has waited since it was queued (written or resent, `queued_at`,
   * on the caller's clock `now`): never much more than DELIVERY_MAX_AGE_MS, past which it expires.
   */
  async backlog(now: number): Promise<{ pending: number; oldestSeconds: number }> {
    const [row]: Array<{ pending: string; oldest: string | null }> = await this.dataSource.query(BACKLOG, [
      new Date(now),
    ]);
    return {
      pending: Number(row.pending),
      oldestSeconds: row.oldest === null ? 0 : Math.max(0, Number(row.oldest)),
    };
  }
}
