import { randomBytes } from 'node:crypto';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Clock, ClockTimer } from '../../../common/clock';
import { ClockScheduler } from '../../../common/scheduling/clock-scheduler';
import { AppConfig } from '../../../config/app-config';
import { outsideRequests } from '../../../database/waiting-queries-limit';
import { NotificationOutbox } from '../../notification-outbox';
import { ClaimedNotification, SendResult } from '../queue/claimed-notification';
import { DeliveryQueue } from '../queue/delivery-queue';
import { InFlightSends } from './in-flight-sends';
import { UnmarkedBots } from './unmarked-bots';
import { LateResults } from './late-results';
import { longestSendMs } from '../claim-sender';
import { SendAttempts } from './send-attempt';

/** Names of the dispatcher's periodic jobs in SchedulerRegistry. */
export const DELIVERY_SWEEP = 'delivery.sweep';
export const DELIVERY_LEASE_RENEWAL = 'delivery.lease-renewal';

/** After a failed database round, the dispatcher tries again this much later. */
const RETRY_AFTER_ERROR_MS = 1_000;
/**
 * The soonest a due bot that this instance could not claim is looked at again: another instance (or a report being
 * committed) holds its row for a moment, and will send or wake us itself.
 */
const MIN_REARM_MS = 50;

/**
 * Sends the queued notifications: claim → send → record. One loop does the database work in rounds, each one short
 * transaction (DeliveryQueue.cycle): record the sends that finished since the last round, lease due notifications
 * for the free send slots, learn when the next one falls due. Sends run outside any transaction (SendAttempts), up
 * to DELIVERY_CONCURRENCY at once (they wait on DingTalk, not on this process), their leases kept by InFlightSends.
 * A round runs when there is something to do: notifications were committed (the outbox's signal, the one wake from
 * outside: NotificationOutbox.whenCommitted), a send finished, or the next due moment came; the periodic sweep (a
 * ClockScheduler job) is only the safety net.
 *
 * Each claim has a number (the fencing token), and a result counts only while its claim still holds the row, so a
 * send that lost its lease can never overwrite the new owner's work or a resend.
 *
 * Shutdown never gives away a send that has begun: claiming stops, every send in flight runs to its end (bounded by
 * its own DingTalk deadlines) with its lease renewed, every result is recorded, and only claims whose send never
 * began are given back.
 *
 * Rate limit: the claim counts the sends of the bot's DingTalk robot (every bot with the same webhook token, or app
 * and group) in the last minute plus DELIVERY_RATE_MARGIN_MS, and a bot has one send in flight at most. A send
 * counts from its claim, on the database's clock (one clock for every instance), until its result is recorded, and
 * from the recording after; the margin absorbs the rest of the way to DingTalk and any difference between the
 * clocks, so that DingTalk's sliding minute never sees more than `rate_limit_per_minute`.
 */
@Injectable()
export class NotificationDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(NotificationDispatcher.name);
  /** Names this dispatcher's leases: the instance, and a fresh part per start (a restart is a new owner). */
  readonly owner: string;
  private readonly leaseMs: number;
  /** How long a send can take at most, by its deadlines: the bound of a clean stop's wait. */
  private readonly maxSendMs: number;
  private running = false;
  /** Something may be due: the next round claims. */
  private wanted = false;
  private round: Promise<void> | null = null;
  /** After a failed round, no new one starts before this (clock ms): the due timer resumes. */
  private backoffUntil = 0;
  private dueTimer: ClockTimer | undefined;
  private readonly inFlight: InFlightSends;
  /** Finished sends waiting for the next round to record them. */
  private finished: SendResult[] = [];
  /** Claims whose send never began (bot deleted meanwhile, shutdown), waiting to be given back. */
  private unstarted: ClaimedNotification[] = [];
  /** Bots with committed notifications that their writes could not mark due (NotificationOutbox). */
  private readonly unmarked: UnmarkedBots;

  constructor(
    private readonly queue: DeliveryQueue,
    private readonly attempts: SendAttempts,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly scheduler: ClockScheduler,
    outbox: NotificationOutbox,
    lateResults: LateResults,
  ) {
    outbox.whenCommitted((heldBots) => this.wake(heldBots));
    lateResults.recordWith((result) => this.recordLater(result));
    this.owner = `${config.instanceId.slice(0, 48)}:${randomBytes(6).toString('hex')}`;
    // A stream send may take a token fetch and two calls, each within the DingTalk deadline; renewed meanwhile.
    this.leaseMs = config.delivery.leaseMs;
    this.maxSendMs = longestSendMs(config);
    this.inFlight = new InFlightSends(queue, clock, this.leaseMs, this.logger, () =>
      this.finished.map((result) => result.claimed),
    );
    this.unmarked = new UnmarkedBots(queue, clock, this.logger, MIN_REARM_MS, () => this.startRound());
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.database.kind === 'embedded') {
      const released = await this.queue.releaseAllLeases(this.clock.now());
      if (released > 0) this.logger.log(`Released ${released} leases left by a previous run`);
    }
    this.running = true;
    this.scheduler.every(DELIVERY_LEASE_RENEWAL, this.leaseMs / 4, () => this.inFlight.renew());
    this.scheduler.every(DELIVERY_SWEEP, this.config.delivery.pollIntervalMs, () => this.sweep());
    this.wake();
  }

  /** Look for work now. Cheap and idempotent: whenever something may have become due (and `unmarked` bots are). */
  private wake(unmarked: readonly number[] = []): void {
    if (!this.running) {
      // No round will mark them: marked now (requests are still answered while the service stops).
      if (unmarked.length > 0) void this.unmarked.markAtOnce(unmarked);
    } else this.unmarked.add(unmarked);
    this.wanted = true;
    this.startRound();
  }

  /**
   * A clean stop: claim nothing more, let every send in flight end (each by its own DingTalk deadlines; leases
   * renewed meanwhile), record every result, then give back the claims whose send never began. A send that has
   * begun is never given back: another instance would send it a second time.
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.clock.clearTimeout(this.dueTimer);
    await this.round;
    // Bots whose new notifications are still to be marked due: while the sends in flight are waited for and their
    // results recorded (the mark may wait for a holder; it must not hold up the recording while leases run).
    const marked = this.unmarked.markAllAtOnce();
    if (this.inFlight.size > 0) {
      this.logger.log(`Stopping: waiting for ${this.inFlight.size} sends in flight to end`);
      await this.inFlight.drain(this.maxSendMs);
    }
    try {
      await this.recordFinished();
    } catch (error) {
      this.logger.error(
        `Recording the last results failed: ${(error as Error).message}; their leases run out and they are ` +
          'sent again by another instance',
      );
    }
    await marked;
    await this.inFlight.renewed();
    const unstarted = this.unstarted;
    this.unstarted = [];
    if (unstarted.length > 0) {
      const released = await this.queue.releaseClaims(unstarted, this.clock.now());
      this.logger.log(`Gave back ${released} claimed notifications whose send had not begun`);
    }
  }

  /**
   * The result of a send made outside the rounds (the test button's) that its sender could not record (LateResults):
   * the rounds record it as one of their own, trying again after a failure, its lease renewed until then
   * (InFlightSends), so that its status, its robot's window and a throttle's pause are written once the database
   * takes them.
   */
  private recordLater(result: SendResult): void {
    if (!this.running) {
      this.logger.error(
        `Notification ${result.claimed.id} to bot ${result.claimed.botId}: ${result.outcome.kind}, not recorded: ` +
          'the service is stopping (its lease runs out and the sweep skips it)',
      );
      return;
    }
    this.finished.push(result);
    this.startRound();
  }

  private startRound(): void {
    if (!this.running || this.round || this.backoffUntil > this.clock.now()) return;
    // A request that wakes the dispatcher does not lend the round its ceiling on database waits.
    this.round = outsideRequests(() => this.rounds()).finally(() => {
      this.round = null;
      if (
        this.running &&
        (this.finished.length > 0 || this.unmarked.due || (this.wanted && this.freeSlots() > 0))
      )
        this.startRound();
    });
  }

  /** Bots with a send in flight, a result not yet recorded or a claim not yet given back. */
  private busyBotIds(): number[] {
    return [
      ...new Set([
        ...this.inFlight.botIds(),
        ...this.finished.map((result) => result.claimed.botId),
        ...this.unstarted.map((claimed) => claimed.botId),
      ]),
    ];
  }

  private freeSlots(): number {
    return this.config.delivery.concurrency - this.inFlight.size;
  }

  /** Rounds until nothing is left to record and nothing more can be claimed now. */
  private async rounds(): Promise<void> {
    while (
      this.running &&
      (this.finished.length > 0 ||
        this.unstarted.length > 0 ||
        this.unmarked.due ||
        (this.wanted && this.freeSlots() > 0))
    ) {
      if (this.unstarted.length > 0 && !(await this.giveBackUnstarted())) return;
      if (this.unmarked.due && !(await this.markUnmarked())) return;
      // Marked: a round only if there is something to record or room to claim.
      if (this.finished.length === 0 && this.unstarted.length === 0 && !(this.wanted && this.freeSlots() > 0))
        continue;
      const results = this.finished;
      this.finished = [];
      const maxClaims = this.wanted ? this.freeSlots() : 0;
      this.wanted = false;
      const now = this.clock.now();
      const asked = performance.now();
      let answer;
      try {
        answer = await this.queue.cycle({
          owner: this.owner,
          results,
          maxClaims,
          busyBotIds: this.busyBotIds(),
          now,
          leaseMs: this.leaseMs,
        });
      } catch (error) {
        this.logger.error(`Delivery round failed: ${(error as Error).message}`);
        // Nothing recorded: the results wait for the next round (their leases are renewed meanwhile).
        this.finished = [...results, ...this.finished];
        this.wanted = this.wanted || maxClaims > 0;
        this.backoffUntil = this.clock.now() + RETRY_AFTER_ERROR_MS;
        this.armDueTimer(this.backoffUntil);
        return;
      }
      this.logLostLeases(results, answer.held);
      this.attempts.readCredentialsOf(answer.claimed);
      for (const claimed of answer.claimed) this.start(claimed, asked);
      if (maxClaims > 0 && answer.claimed.length === maxClaims) {
        this.wanted = true; // Every slot filled: more may be due.
      } else if (answer.nextDueAt !== null) {
        this.armDueTimer(Math.max(answer.nextDueAt, this.clock.now() + MIN_REARM_MS));
      }
    }
  }

  /** Gives back the claims whose send never began; false (and a backoff) when the database refused. */
  private async giveBackUnstarted(): Promise<boolean> {
    const claims = this.unstarted;
    this.unstarted = [];
    try {
      await this.queue.releaseClaims(claims, this.clock.now());
      return true;
    } catch (error) {
      this.logger.error(`Giving back unsent claims failed: ${(error as Error).message}`);
      this.unstarted = [...claims, ...this.unstarted];
      this.backoffUntil = this.clock.now() + RETRY_AFTER_ERROR_MS;
      this.armDueTimer(this.backoffUntil);
      return false;
    }
  }

  /**
   * Marks the unmarked bots due (UnmarkedBots), before the round's claim looks for them; false (and a backoff) when
   * the database refused: they are kept for the next round.
   */
  private async markUnmarked(): Promise<boolean> {
    try {
      if (await this.unmarked.mark()) this.wanted = true; // Some are due now: the round claims.
      return true;
    } catch (error) {
      this.logger.error(`Marking bots due failed: ${(error as Error).message}`);
      this.backoffUntil = this.clock.now() + RETRY_AFTER_ERROR_MS;
      this.armDueTimer(this.backoffUntil);
      return false;
    }
  }

  private armDueTimer(at: number): void {
    this.clock.clearTimeout(this.dueTimer);
    if (!this.running) return;
    this.dueTimer = this.clock.setTimeout(
      () => {
        // A timer may fire a millisecond before the clock reads its moment: a backoff it was armed for is over.
        if (at >= this.backoffUntil) this.backoffUntil = 0;
        this.wake();
      },
      Math.max(0, at - this.clock.now()),
    );
  }

  /** The safety net: now and then look for work that no wake announced (other instances, expired leases). */
  private async sweep(): Promise<void> {
    if (!this.running) return;
    try {
      await this.queue.sweep(this.clock.now());
    } finally {
      this.wake();
    }
  }

  /** The send of a claim (the round that leased it began at `asked`), its result kept for the next round. */
  private start(claimed: ClaimedNotification, asked: number): void {
    this.inFlight.add(
      claimed,
      asked,
      async (signal) => {
        const result = await this.attempts.attempt(claimed, signal, () => !this.running);
        if (result === 'unstarted') this.unstarted.push(claimed);
        else if (result) this.finished.push(result);
      },
      () => {
        this.wanted = true;
        this.startRound();
      },
    );
  }

  private async recordFinished(): Promise<void> {
    const results = this.finished;
    this.finished = [];
    if (results.length === 0) return;
    const answer = await this.queue.cycle({
      owner: this.owner,
      results,
      maxClaims: 0,
      busyBotIds: [],
      now: this.clock.now(),
      leaseMs: this.leaseMs,
    });
    this.logLostLeases(results, answer.held);
  }

  private logLostLeases(results: readonly SendResult[], held: ReadonlySet<string>): void {
    for (const result of results) {
      if (held.has(result.claimed.id)) continue;
      this.logger.warn(
        `Notification ${result.claimed.id} to bot ${result.claimed.botId}: ${result.outcome.kind}, but its claim ` +
          'no longer holds it (its lease was taken over, or it was resent): the attempt is logged, the status left ' +
          'to the claim that holds it',
      );
    }
  }
}
