import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock';
import { AppConfig } from '../../config/app-config';
import { BotWithSecrets } from '../../dingtalk-bot/bot-fields';
import { botMentions } from '../../dingtalk-bot/bot-kinds';
import { BotTestSender, TestSendResult } from '../../dingtalk-bot/bot-test-sender';
import { outsideRequests } from '../../database/waiting-queries-limit';
import { testMessage } from '../messages/test-message';
import { NotificationOutbox, OutgoingNotification } from '../notification-outbox';
import { ClaimSender, longestSendMs } from './claim-sender';
import { LateResults } from './dispatcher/late-results';
import { ClaimedNotification, SendResult } from './queue/claimed-notification';
import { DeliveryQueue } from './queue/delivery-queue';
import { RateWindowRepository } from './queue/rate-window.repository';

/** A click the robot cannot take now: the 429 the button answers. */
type HeldBack = Extract<TestSendResult, { sent: false }>;

/**
 * The bots' test button (the bots module's BotTestSender port, bound in src/composition.module.ts), through the
 * delivery road every message takes, claim → send → record, but all within the click, which answers with what
 * DingTalk said:
 *
 * - claim, one transaction: a place in the robot's rate window (shared with every bot of the robot, the queue's
 *   sends included; refused while it is full or the robot, its app or the cluster is paused: the 429 the button
 *   answers), and the message written through the outbox as a notification of kind `test`, leased to this click
 *   under a new claim number; the bot's row is locked first, so a bot being deleted is waited for holding nothing
 *   else, then not found (404, nothing sent);
 * - send, through the sender registry (ClaimSender, the dispatcher's too), stopped by its own deadline: a click never waits
 *   longer than a send's DingTalk deadlines allow;
 * - record, as a round records (DeliveryQueue.record): the attempt in the delivery log, the row `sent` or `failed`
 *   (tried once: judgeOnlyAttempt), the window entry moved to the recording, a throttle answer's pause. Outside the
 *   request's ceiling on database waits, as the rounds; should the database refuse it even so, the dispatcher's
 *   rounds record it (LateResults), so that a throttle's pause is never lost.
 *
 * Sent once or never: the queue never claims a test message (IN_TURN, queue-conditions.ts), so a click whose
 * service stopped before recording leaves a row the sweep skips, never one sent again. Why not through the
 * dispatcher: the button answers what DingTalk said about this message now, or 429 at once when the robot cannot
 * take one more; waiting behind the bot's backlog, or on another instance's round, would change those answers.
 */
@Injectable()
export class TestSendService implements BotTestSender {
  private readonly logger = new Logger(TestSendService.name);
  /** Names this instance's test clicks as the holders of their rows' leases. */
  private readonly owner: string;
  /** The longest a send can take by its DingTalk deadlines: the click's own deadline. */
  private readonly deadlineMs: number;
  /** A test message's lease outlasts the click's deadline: its row is recorded while the lease holds. */
  private readonly leaseMs: number;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly windows: RateWindowRepository,
    private readonly outbox: NotificationOutbox,
    private readonly sender: ClaimSender,
    private readonly queue: DeliveryQueue,
    private readonly lateResults: LateResults,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.owner = `${config.instanceId.slice(0, 48)}:test`;
    this.deadlineMs = longestSendMs(config);
    this.leaseMs = this.deadlineMs + config.delivery.leaseMs;
  }

  async sendTest(bot: BotWithSecrets): Promise<TestSendResult> {
    const asked = performance.now();
    const claimed = await this.claim(bot);
    if ('sent' in claimed) return claimed;
    // Real time, as the lease's (the database's clock, which no test moves); counted from before the claim.
    const signal = AbortSignal.timeout(Math.max(0, Math.ceil(asked + this.deadlineMs - performance.now())));
    const result = await this.sender.send(bot, claimed, signal);
    await this.record(result);
    // The click's hint is the delivery log's: a test is tried once, and says so (judgeOnlyAttempt).
    return { sent: true, outcome: { ...result.outcome, hint: result.verdict.hint } };
  }

  /**
   * DingTalk has answered: what it said is written whatever the load. Not under the request's ceiling on database
   * waits (waiting-queries-limit.ts), which would refuse it at once when requests fill the pool's queue: it waits
   * its turn, as the dispatcher's rounds do. Should it fail all the same, the rounds record it, trying until the
   * database takes it; the click answers meanwhile.
   */
  private async record(result: SendResult): Promise<void> {
    try {
      await outsideRequests(() => this.queue.record([result]));
    } catch (error) {
      const handed = this.lateResults.hand(result);
      this.logger.warn(
        `Recording test message ${result.claimed.id} to bot ${result.claimed.botId} failed ` +
          `(${(error as Error).message}): ` +
          (handed ? 'the dispatcher records it' : 'its lease runs out and the sweep skips it'),
      );
    }
  }

  /** A place in the robot's window and the message written, leased to this click: one transaction. */
  private claim(bot: BotWithSecrets): Promise<ClaimedNotification | HeldBack> {
    const now = this.clock.now();
    // With the bot's own mentions, as its notifications carry them (messages/bot-notifications.ts).
    const mentions = botMentions(bot);
    const message = testMessage(bot, new Date(now));
    const row: OutgoingNotification = {
      botId: bot.id,
      storeId: bot.storeId,
      menuReportId: null,
      kind: 'test',
      status: 'pending',
      hint: null,
      msgType: message.msgType,
      title: message.title,
      content: message.text,
      ...mentions,
      partOf: null,
    };
    return this.dataSource.transaction(async (manager): Promise<ClaimedNotification | HeldBack> => {
      const reservation = await this.windows.reserveSend(manager, bot.id);
      if (!reservation.granted) {
        if (reservation.reason === 'no_bot') throw new NotFoundException(`DingTalk bot ${bot.id} not found`);
        return { sent: false, reason: reservation.reason, retryAt: reservation.retryAt };
      }
      const written = await this.outbox.enqueueClaimed(manager, row, { owner: this.owner, ms: this.leaseMs });
      return {
        ...written,
        botId: row.botId,
        storeId: row.storeId,
        kind: row.kind,
        // Read from the bot row by the dispatcher's claim, for its credentials cache: the click has the bot.
        botVersion: '',
        msgType: message.msgType,
        title: row.title,
        content: row.content,
        atMobiles: row.atMobiles,
        atUserIds: row.atUserIds,
        atAll: row.atAll,
        attempts: 0,
        remainingTargets: null,
        recipients: null,
        claimedAt: now,
        windowStamp: reservation.stamp,
        robotKey: reservation.robotKey,
        appKey: reservation.appKey,
      };
    });
  }
}
