import { SchedulerRegistry } from '@nestjs/schedule';
import { Test, TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../test/support/clocks';
import { testConfig } from '../../test/support/test-app';
import { createTestDatabase, TestDatabase } from '../../test/support/test-database';
import { ClockModule } from '../common/clock.module';
import { SchedulingModule } from '../common/scheduling/scheduling.module';
import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import { RetentionModule } from './retention.module';
import { RETENTION_BATCH_SIZE, RETENTION_JOB, RetentionService } from './retention.service';

const DAY = 24 * 3_600_000;
const HOUR = 3_600_000;
/** A run is a few statements, but a loaded CI machine can take seconds for them (expect.poll's default is 1 s). */
const RUN_FINISHES = { timeout: 20_000 };

/**
 * The retention job in a testing module of its own (config, Clock, scheduler, database): a real database, rows
 * written as the queue and the message handler write them, and a ManualClock that the test moves to the job's
 * hour (04:00 in Shanghai; the clock starts at 10:00 there).
 */
async function startModule(
  database: TestDatabase,
  clock: ManualClock,
  retentionDays: string,
): Promise<TestingModule> {
  const config = testConfig(database, { RETENTION_DAYS: retentionDays, REPORT_TIMEZONE: 'Asia/Shanghai' });
  const module = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config),
      ClockModule.forRoot(clock),
      SchedulingModule,
      DatabaseModule.forRoot(database.connection),
      RetentionModule,
    ],
  }).compile();
  module.useLogger(false);
  await module.init();
  return module;
}

class Rows {
  constructor(
    private readonly db: DataSource,
    private readonly clock: ManualClock,
  ) {}

  /** A notification created `ageDays` ago by the clock, last changed `updatedDaysAgo` ago; answers its id. */
  async notification(
    status: string,
    ageDays: number,
    options: { updatedDaysAgo?: number; mergedInto?: string; attempts?: number; kind?: string } = {},
  ): Promise<string> {
    const created = new Date(this.clock.now() - ageDays * DAY);
    const updated = new Date(this.clock.now() - (options.updatedDaysAgo ?? ageDays) * DAY);
    const [row] = await this.db.query<Array<{ id: string }>>(
      `INSERT INTO notifications (bot_id, store_id, kind, status, msg_type, title, content, merged_into,
                                  created_at, updated_at)
       VALUES (1, 1, $5, $1, 'text', '报菜', '红烧肉 3 份', $2, $3, $4) RETURNING id`,
      [status, options.mergedInto ?? null, created, updated, options.kind ?? 'menu_report'],
    );
    for (let i = 0; i < (options.attempts ?? 0); i += 1) {
      await this.db.query(
        `INSERT INTO notification_attempts (notification_id, at, outcome, http_status, errcode)
         VALUES ($1, $2, 'ok', 200, '0')`,
        [row.id, updated],
      );
    }
    return String(row.id);
  }

  /** A message a staff member wrote `ageDays` ago, handled unless `handled` is false; answers its id. */
  async receivedMessage(ageDays: number, handled = true): Promise<string> {
    const received = new Date(this.clock.now() - ageDays * DAY);
    const [row] = await this.db.query<Array<{ id: string }>>(
      `INSERT INTO received_bot_messages (robot_code, msg_id, bot_id, store_id, msg_type, text, received_at,
                                          handled_at)
       VALUES ('ding-app', gen_random_uuid()::text, 1, 1, 'text', '今日', $1, $2) RETURNING id`,
      [received, handled ? received : null],
    );
    return String(row.id);
  }

  /** The record that bot `botId` got its summary of the day `ageDays` ago (written that day); answers the day. */
  async dailySummary(botId: number, ageDays: number): Promise<string> {
    const sentAt = new Date(this.clock.now() - ageDays * DAY);
    const day = sentAt.toISOString().slice(0, 10);
    await this.db.query(`INSERT INTO daily_summaries (bot_id, day, created_at) VALUES ($1, $2, $3)`, [
      botId,
      day,
      sentAt,
    ]);
    return day;
  }

  /** A bot to hang daily summary records on (they go with their bot). */
  async bot(): Promise<number> {
    const [row] = await this.db.query<Array<{ id: number }>>(
      `INSERT INTO ding_talk_bots (name, store_id) VALUES ('厨房群', 1) RETURNING id`,
    );
    return row.id;
  }

  async dailySummaryDays(): Promise<string[]> {
    const rows = await this.db.query<Array<{ day: string }>>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day FROM daily_summaries ORDER BY day`,
    );
    return rows.map((row) => row.day);
  }

  async notificationIds(): Promise<string[]> {
    const rows = await this.db.query<Array<{ id: string }>>(`SELECT id FROM notifications ORDER BY id`);
    return rows.map((row) => String(row.id));
  }

  async attemptOwners(): Promise<string[]> {
    const rows = await this.db.query<Array<{ id: string }>>(
      `SELECT DISTINCT notification_id AS id FROM notification_attempts ORDER BY 1`,
    );
    return rows.map((row) => String(row.id));
  }

  async receivedIds(): Promise<string[]> {
    const rows = await this.db.query<Array<{ id: string }>>(
      `SELECT id FROM received_bot_messages ORDER BY id`,
    );
    return rows.map((row) => String(row.id));
  }

  async clear(): Promise<void> {
    await this.db.query(`DELETE FROM notifications`);
    await this.db.query(`DELETE FROM received_bot_messages`);
    await this.db.query(`DELETE FROM daily_summaries`);
  }
}

describe('RetentionService (RETENTION_DAYS=30)', () => {
  const clock = new ManualClock();
  let database: TestDatabase;
  let module: TestingModule;
  let rows: Rows;

  beforeAll(async () => {
    database = await createTestDatabase();
    module = await startModule(database, clock, '30');
    rows = new Rows(module.get(DataSource), clock);
  });
  afterAll(async () => {
    await module?.close();
    await database?.drop();
  });

  it('deletes at 04:00 old finished notifications with their attempts, old handled messages and old daily summary records, nothing else', async () => {
    expect(module.get(SchedulerRegistry).getIntervals()).toContain(RETENTION_JOB);
    // Ages as they will be when the job runs, 18 hours from now.
    const oldDigest = await rows.notification('sent', 40, { attempts: 2 });
    const gone = [
      oldDigest,
      await rows.notification('merged', 41, { mergedInto: oldDigest }),
      await rows.notification('skipped', 31),
      await rows.notification('sent', 30.5, { attempts: 1 }),
      // A failed test press cannot be resent: nothing waits for it.
      await rows.notification('failed', 31, { kind: 'test', attempts: 1 }),
    ];
    const pendingDigest = await rows.notification('pending', 29);
    const kept = [
      await rows.notification('pending', 60),
      await rows.notification('retrying', 60, { updatedDaysAgo: 40, attempts: 3 }),
      await rows.notification('failed', 60, { attempts: 4 }),
      await rows.notification('sent', 29, { attempts: 1 }),
      await rows.notification('failed', 29, { kind: 'test', attempts: 1 }),
      // Resent a day ago: finished again since then.
      await rows.notification('sent', 90, { updatedDaysAgo: 1, attempts: 1 }),
      pendingDigest,
    ];
    // Folded into a digest still waiting: the digest carries its text, the row itself may go.
    gone.push(await rows.notification('merged', 45, { mergedInto: pendingDigest }));
    await rows.receivedMessage(31);
    await rows.receivedMessage(200);
    const keptMessages = [await rows.receivedMessage(29), await rows.receivedMessage(40, false)];
    const bot = await rows.bot();
    await rows.dailySummary(bot, 400);
    await rows.dailySummary(bot, 31);
    const keptSummaries = [await rows.dailySummary(bot, 29), await rows.dailySummary(bot, 28)];

    await clock.advance(18 * HOUR);
    // Daily summary records go last in a run.
    await expect.poll(() => rows.dailySummaryDays(), RUN_FINISHES).toEqual(keptSummaries);
    expect(await rows.receivedIds()).toEqual(keptMessages);
    expect(await rows.notificationIds()).toEqual([...kept].sort((a, b) => Number(a) - Number(b)));
    expect(await rows.attemptOwners()).toEqual(
      [kept[1], kept[2], kept[3], kept[4], kept[5]].sort((a, b) => Number(a) - Number(b)),
    );
  });

  it('runs again the next day, on rows that have come of age since', async () => {
    await rows.clear();
    await rows.notification('sent', 29.5, { attempts: 1 });
    await rows.receivedMessage(29.5);
    const young = await rows.notification('sent', 28, { attempts: 1 });
    const youngMessage = await rows.receivedMessage(28);

    await clock.advance(DAY);
    await expect.poll(() => rows.receivedIds(), RUN_FINISHES).toEqual([youngMessage]);
    expect(await rows.notificationIds()).toEqual([young]);
    expect(await rows.attemptOwners()).toEqual([young]);
  });

  it('deletes old alerts told, with their webhook deliveries; keeps a bot’s open alert and one still to deliver', async () => {
    const db = module.get(DataSource);
    const [destination] = await db.query<Array<{ id: number }>>(
      `INSERT INTO alert_destinations (name, webhook_url) VALUES ('总部', 'https://hooks.example/a') RETURNING id`,
    );
    const alert = async (botId: number, type: string, ageDays: number, delivery: string | null) => {
      const at = new Date(clock.now() - ageDays * DAY);
      const [row] = await db.query<Array<{ id: string }>>(
        `INSERT INTO bot_alerts (bot_id, store_id, type, bot_name, bot_type, health, since, created_at)
         VALUES ($1, 1, $2, '厨房群', 'webhook', 'broken', $3, $3) RETURNING id`,
        [botId, type, at],
      );
      if (delivery) {
        await db.query(
          `INSERT INTO alert_webhook_deliveries (alert_id, destination_id, status, next_attempt_at)
           VALUES ($1, $2, $3, $4)`,
          [row.id, destination.id, delivery, at],
        );
      }
      return String(row.id);
    };
    // A bot that broke and recovered long ago: its alert is closed.
    const mended = await rows.bot();
    await db.query(`INSERT INTO bot_health (bot_id) VALUES ($1)`, [mended]);
    await alert(mended, 'broken', 100, 'sent');
    await alert(mended, 'recovered', 90, 'failed');
    // A bot still broken, alerted long ago: its last alert (the latest reminder) is its open alert state.
    const broken = await rows.bot();
    await db.query(
      `INSERT INTO bot_health (bot_id, health, alerted_broken, alerted_at) VALUES ($1, 'broken', true, now())`,
      [broken],
    );
    await alert(broken, 'broken', 100, 'sent');
    const open = await alert(broken, 'still_broken', 60, null);
    const undelivered = await alert(mended, 'broken', 80, 'pending');
    const young = await alert(mended, 'recovered', 10, 'sent');

    const result = await module.get(RetentionService).run();

    expect(result.botAlerts).toBe(3);
    const left = await db.query<Array<{ id: string }>>(`SELECT id FROM bot_alerts ORDER BY id`);
    expect(left.map((row) => String(row.id))).toEqual([open, undelivered, young]);
    const deliveries = await db.query<Array<{ alert_id: string }>>(
      `SELECT alert_id FROM alert_webhook_deliveries ORDER BY alert_id`,
    );
    expect(deliveries.map((row) => String(row.alert_id))).toEqual([undelivered, young]);
  });

  it('deletes the records of minted tokens that expired before the cutoff, revoked or not, and no other', async () => {
    const db = module.get(DataSource);
    const token = async (expiredDaysAgo: number, revoked: boolean) => {
      const [row] = await db.query<Array<{ jti: string }>>(
        `INSERT INTO minted_tokens (jti, sub, store_ids, minted_by, created_at, expires_at, revoked_at, revoked_by)
         VALUES (gen_random_uuid(), 'store-3-manager', '{3}', 'hq', $1, $2, $3, $4) RETURNING jti`,
        [
          new Date(clock.now() - (expiredDaysAgo + 7) * DAY),
          new Date(clock.now() - expiredDaysAgo * DAY),
          revoked ? new Date(clock.now() - (expiredDaysAgo + 1) * DAY) : null,
          revoked ? 'hq' : null,
        ],
      );
      return row.jti;
    };
    await token(31, false);
    await token(40, true);
    // Expired within the retention period, and one revoked but not expired yet: what keeps it refused.
    const kept = [await token(29, false), await token(29, true), await token(-30, true)];

    const result = await module.get(RetentionService).run();

    expect(result.mintedTokens).toBe(2);
    const left = await db.query<Array<{ jti: string }>>(`SELECT jti FROM minted_tokens`);
    expect(left.map((row) => row.jti).sort()).toEqual([...kept].sort());
  });

  it('deletes in batches until nothing old is left, also when two runs (two instances) go at once', async () => {
    await rows.clear();
    const total = RETENTION_BATCH_SIZE * 2 + 500;
    const db = module.get(DataSource);
    await db.query(
      `INSERT INTO notifications (bot_id, store_id, kind, status, msg_type, title, content, created_at, updated_at)
       SELECT 1, 1, 'batch', 'sent', 'text', 't', 'c', $1, $1 FROM generate_series(1, $2)`,
      [new Date(clock.now() - 100 * DAY), total],
    );
    await db.query(
      `INSERT INTO notification_attempts (notification_id, at, outcome) SELECT id, now(), 'ok' FROM notifications`,
    );
    const pending = await rows.notification('pending', 100);

    const service = module.get(RetentionService);
    const results = await Promise.all([service.run(), service.run()]);

    expect(results[0].notifications + results[1].notifications).toBe(total);
    expect(await rows.notificationIds()).toEqual([pending]);
    expect(await rows.attemptOwners()).toEqual([]);
  });
});

describe('RetentionService (RETENTION_DAYS=0)', () => {
  const clock = new ManualClock();
  let database: TestDatabase;
  let module: TestingModule;
  let rows: Rows;

  beforeAll(async () => {
    database = await createTestDatabase();
    module = await startModule(database, clock, '0');
    rows = new Rows(module.get(DataSource), clock);
  });
  afterAll(async () => {
    await module?.close();
    await database?.drop();
  });

  it('keeps everything: no job is scheduled and a run deletes nothing', async () => {
    expect(module.get(SchedulerRegistry).getIntervals()).not.toContain(RETENTION_JOB);
    const ids = [
      await rows.notification('sent', 400, { attempts: 1 }),
      await rows.notification('skipped', 400),
    ];
    const message = await rows.receivedMessage(400);
    const summary = await rows.dailySummary(await rows.bot(), 400);

    await clock.advance(3 * DAY);
    expect(await module.get(RetentionService).run()).toEqual({
      notifications: 0,
      receivedBotMessages: 0,
      dailySummaries: 0,
      botAlerts: 0,
      mintedTokens: 0,
      skipped: false,
    });
    expect(await rows.notificationIds()).toEqual(ids);
    expect(await rows.attemptOwners()).toEqual([ids[0]]);
    expect(await rows.receivedIds()).toEqual([message]);
    expect(await rows.dailySummaryDays()).toEqual([summary]);
  });
});
