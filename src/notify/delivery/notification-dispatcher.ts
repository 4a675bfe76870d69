import { randomBytes } from 'node:crypto';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Clock, ClockTimer } from '../../common/clock';
import { ClockScheduler } from '../../common/scheduling/clock-scheduler';
import { AppConfig } from '../../config/app-config';
import { outsideRequests } from '../../database/waiting-queries-limit';
import { BotWithSecrets } from '../../dingtalk-bot/bot-fields';
import { OutgoingMessage } from '../../dingtalk/outgoing-message';
import { SendOutcome } from '../senders/bot-sender';
import { BotSenderRegistry } from '../senders/bot-sender.registry';
import { BotCredentialsCache } from './bot-credentials.cache';
import { DeliveryMetrics } from './delivery-metrics';
import { ClaimedNotification, SendResult } from './queue/claimed-notification';
import { DeliveryQueue } from './queue/delivery-queue';
import { judgeAttempt, RetryPolicy } from './retry-policy';

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
 * The most DingTalk deadlines one send can take (app-messaging.client.ts): a stream bot's users and group, each a
 * token fetch and a call, both once more after a refused token (8), and the work notification's getsendresult
 * polls, which take one deadline together, with a token fetch of their own (2).
 */
const MAX_CALLS_PER_SEND = 10;

interface InFlightSend {
  claimed: ClaimedNotification;
  /** Stops the send when its lease is lost or about to run out unrenewed. */
  abort: AbortController;
  /**
   * The local deadline: fires a quarter lease before the lease, as last confirmed, can run out, and stops the send
   * on this process's own timer, whether or not a renewal ever comes back from the database.
   */
  deadline: NodeJS.Timeout | undefined;
}

/**
 * Sends the queued notifications. One loop does the database work in rounds, each one short transaction
 * (DeliveryQueue.cycle): record the sends that finished since the last round, lease due notifications for the free
 * send slots, learn when the next one falls due. Sends run outside any transaction, up to DELIVERY_CONCURRENCY at
 * once (they wait on DingTalk, not on this process). A round runs when there is something to do: a report or a
 * batch was committed (wake), a send finished, or the next due moment came; the periodic sweep (a ClockScheduler
 * job) is only the safety net.
 *
 * Leases: a claimed notification (and its bot) is leased for `leaseMs` of the database's clock and renewed while its
 * send is in flight, so a slow send is never taken over by another instance. A send whose lease was taken over is
 * stopped; so is one whose lease would run out unrenewed (the database is away, or a renewal hangs), by a local
 * timer of its own. Each claim has a number (DeliveryQueue: the fencing token), and a result counts only while its
 * claim still holds the row, so a send that lost its lease can never overwrite the new owner's work or a resend.
 *
 * Shutdown never gives away a send that has begun: claiming stops, every send in flight runs to its end (bounded by
 * its own DingTalk deadlines) with its lease renewed, every result is recorded, and only claims whose send never
 * began are given back.
 *
 * Rate limit: the claim counts the sends of the bot's DingTalk robot (every bot with the same webhook token, or app
 * and group) in the last minute plus DELIVERY_RATE_MARGIN_MS, and a bot has one send in flight at most. A send
 * counts from its claim, on the database's clock (one clock for every instance); DingTalk counts it from its arrival
 * a little later, and the margin absorbs that delay and any difference between the clocks, so that DingTalk's
 * sliding minute never sees more than `rate_limit_per_minute`.
 */
@Injectable()
export class NotificationDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(NotificationDispatcher.name);
  /** Names this dispatcher's leases: the instance, and a fresh part per start (a restart is a new owner). */
  readonly owner: string;
  private readonly leaseMs: number;
  private readonly retryPolicy: RetryPolicy;
  /** How long a send can take at most, by its deadlines: the bound of a clean stop's wait. */
  private readonly maxSendMs: number;
  private running = false;
  /** Something may be due: the next round claims. */
  private wanted = false;
  private round: Promise<void> | null = null;
  /** After a failed round, no new one starts before this (clock ms): the due timer resumes. */
  private backoffUntil = 0;
  private dueTimer: ClockTimer | undefined;
  private readonly inFlight = new Map<string, InFlightSend>();
  private readonly sending = new Set<Promise<void>>();
  /** Finished sends waiting for the next round to record them. */
  private finished: SendResult[] = [];
  /** Claims whose send never began (bot deleted meanwhile, shutdown), waiting to be given back. */
  private unstarted: ClaimedNotification[] = [];
  private renewing: Promise<void> | null = null;

  constructor(
    private readonly queue: DeliveryQueue,
    private readonly credentials: BotCredentialsCache,
    private readonly senders: BotSenderRegistry,
    private readonly metrics: DeliveryMetrics,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly scheduler: ClockScheduler,
  ) {
    this.owner = `${config.instanceId.slice(0, 48)}:${randomBytes(6).toString('hex')}`;
    // A stream send may take a token fetch and two calls, each within the DingTalk deadline; renewed meanwhile.
    this.leaseMs = config.delivery.leaseMs;
    this.retryPolicy = {
      ...config.delivery,
      ipBlockPauseMs: config.dingtalk.ipBlockPauseMs,
      maxRetryAfterMs: config.dingtalk.maxRetryAfterMs,
    };
    this.maxSendMs = MAX_CALLS_PER_SEND * config.dingtalk.timeoutMs + 5_000;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.database.kind === 'embedded') {
      const released = await this.queue.releaseAllLeases(this.clock.now());
      if (released > 0) this.logger.log(`Released ${released} leases left by a previous run`);
    }
    this.running = true;
    this.scheduler.every(DELIVERY_LEASE_RENEWAL, this.leaseMs / 4, () => this.renewLeases());
    this.scheduler.every(DELIVERY_SWEEP, this.config.delivery.pollIntervalMs, () => this.sweep());
    this.wake();
  }

  /** Look for work now. Cheap and idempotent: call it whenever something may have become due. */
  wake(): void {
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
    if (this.sending.size > 0) {
      this.logger.log(`Stopping: waiting for ${this.sending.size} sends in flight to end`);
      await this.drain();
    }
    try {
      await this.recordFinished();
    } catch (error) {
      this.logger.error(
        `Recording the last results failed: ${(error as Error).message}; their leases run out and they are ` +
          'sent again by another instance',
      );
    }
    await this.renewing;
    const unstarted = this.unstarted;
    this.unstarted = [];
    if (unstarted.length > 0) {
      const released = await this.queue.releaseClaims(unstarted, this.clock.now());
      this.logger.log(`Gave back ${released} claimed notifications whose send had not begun`);
    }
  }

  /**
   * Waits for the sends in flight, renewing their leases every quarter lease: the scheduler's renewal job may
   * already have stopped. Bounded by the longest a send can take by its deadlines; a send still going then (it
   * ignored them) is stopped, and its result recorded like any other.
   */
  private async drain(): Promise<void> {
    const giveUpAt = this.clock.now() + this.maxSendMs;
    while (this.sending.size > 0) {
      const tick = new AbortController();
      await Promise.race([
        Promise.allSettled([...this.sending]),
        this.clock.sleep(Math.min(this.leaseMs / 4, Math.max(0, giveUpAt - this.clock.now())), tick.signal),
      ]);
      tick.abort();
      if (this.sending.size === 0) return;
      if (this.clock.now() >= giveUpAt) {
        this.logger.error(
          `${this.sending.size} sends still in flight after ${this.maxSendMs} ms, longer than their deadlines ` +
            'allow: stopping them',
        );
        for (const send of this.inFlight.values()) send.abort.abort(new Error('the service is stopping'));
        await Promise.allSettled([...this.sending]);
        return;
      }
      void this.renewLeases();
    }
  }

  private startRound(): void {
    if (!this.running || this.round || this.backoffUntil > this.clock.now()) return;
    // A request that wakes the dispatcher does not lend the round its ceiling on database waits.
    this.round = outsideRequests(() => this.rounds()).finally(() => {
      this.round = null;
      if (this.running && (this.finished.length > 0 || (this.wanted && this.freeSlots() > 0)))
        this.startRound();
    });
  }

  /** Bots with a send in flight, a result not yet recorded or a claim not yet given back. */
  private busyBotIds(): number[] {
    return [
      ...new Set([
        ...[...this.inFlight.values()].map((send) => send.claimed.botId),
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
      (this.finished.length > 0 || this.unstarted.length > 0 || (this.wanted && this.freeSlots() > 0))
    ) {
      if (this.unstarted.length > 0 && !(await this.giveBackUnstarted())) return;
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

  private armDueTimer(at: number): void {
    this.clock.clearTimeout(this.dueTimer);
    if (!this.running) return;
    this.dueTimer = this.clock.setTimeout(() => this.wake(), Math.max(0, at - this.clock.now()));
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

  /**
   * Every quarter lease, the leases of the sends in flight are extended; a send whose claim no longer holds its row
   * (taken over, resent) is stopped. One renewal at a time: the scheduler's job and a draining shutdown share it.
   */
  private renewLeases(): Promise<void> {
    this.renewing ??= outsideRequests(() => this.renew()).finally(() => (this.renewing = null));
    return this.renewing;
  }

  private async renew(): Promise<void> {
    const sends = [...this.inFlight.values()];
    // Results not yet recorded keep their leases too: the database may be away for a while.
    const unrecorded = this.finished.map((result) => result.claimed);
    if (sends.length === 0 && unrecorded.length === 0) return;
    // The database extends each lease from its own now(), which is later than this: a deadline counted from here
    // falls before the lease ends.
    const asked = performance.now();
    try {
      const held = await this.queue.renewLeases(
        [...sends.map((send) => send.claimed), ...unrecorded],
        this.leaseMs,
        this.clock.now(),
      );
      for (const send of sends) {
        if (!this.inFlight.has(send.claimed.id)) continue;
        if (held.has(send.claimed.id)) this.armDeadline(send, asked);
        else send.abort.abort(new Error('the lease was taken over'));
      }
    } catch (error) {
      // Nothing to do: each send's own deadline stops it before its lease can run out.
      this.logger.error(`Renewing delivery leases failed: ${(error as Error).message}`);
    }
  }

  /**
   * (Re)arms the send's local deadline for a lease the database extended no earlier than `confirmedAt`
   * (performance.now()). Real time, not the injected Clock: the lease runs on the database's clock, which no test
   * moves; a deadline on a Clock that runs faster (ScaledClock) would stop sends whose lease still had most of its
   * time, whenever the database answered a little slowly.
   */
  private armDeadline(send: InFlightSend, confirmedAt: number): void {
    if (send.abort.signal.aborted) return;
    clearTimeout(send.deadline);
    const at = confirmedAt + this.leaseMs - this.leaseMs / 4;
    send.deadline = setTimeout(
      () => send.abort.abort(new Error('the lease is about to run out unrenewed')),
      Math.max(0, at - performance.now()),
    );
    send.deadline.unref();
  }

  private start(claimed: ClaimedNotification, asked: number): void {
    const send: InFlightSend = { claimed, abort: new AbortController(), deadline: undefined };
    // The lease was written during the round that began at `asked`: its end is later than this counts.
    this.armDeadline(send, asked);
    this.inFlight.set(claimed.id, send);
    const delivery = this.deliver(send)
      .then((result) => {
        if (result === 'unstarted') this.unstarted.push(claimed);
        else if (result) this.finished.push(result);
      })
      .finally(() => {
        clearTimeout(send.deadline);
        this.inFlight.delete(claimed.id);
        this.sending.delete(delivery);
        this.wanted = true;
        this.startRound();
      });
    this.sending.add(delivery);
  }

  /**
   * The send of one claim: its result; `unstarted` when it never reached DingTalk and its claim should be given
   * back (the bot was deleted, disabled or moved meanwhile: the next claim skips the row with a hint; or the service
   * is stopping);
   * null when it failed on the way (the lease runs out and the row is claimed again).
   */
  private async deliver(send: InFlightSend): Promise<SendResult | 'unstarted' | null> {
    const { claimed } = send;
    try {
      const bot = await this.credentials.get(claimed.botId, claimed.botVersion);
      if (!bot || !this.running) return 'unstarted';
      if (!bot.isEnabled) {
        // Disabled after the claim read it: nothing may reach it. The claim is given back and the next claim skips
        // the row with a hint.
        this.logger.warn(`Notification ${claimed.id} not sent: bot ${bot.id} was disabled`);
        return 'unstarted';
      }
      if (bot.storeId !== claimed.storeId) {
        // Moved to another store after the claim read it: its new destination is not this store's. Not sent; the
        // claim is given back and the next claim skips the row with a hint.
        this.logger.warn(
          `Notification ${claimed.id} of store ${claimed.storeId} not sent: bot ${bot.id} is now in store ${bot.storeId}`,
        );
        return 'unstarted';
      }
      // From here on the send is finished and recorded, never given back unsent.
      this.logger.debug(
        `Sending notification ${claimed.id} to bot ${bot.id} (${bot.botType}), attempt ${claimed.attempts + 1}`,
      );
      const startedAt = this.clock.now();
      const outcome = await this.send(bot, claimed, send.abort.signal);
      const finishedAt = this.clock.now();
      const verdict = judgeAttempt(outcome, claimed.attempts, this.retryPolicy, finishedAt);
      this.metrics.recordAttempt(bot.botType, claimed.kind, outcome);
      const line = `Notification ${claimed.id} to bot ${bot.id}: ${outcome.kind}, now ${verdict.status}`;
      // An ok with a hint is a work notification some users did not get (work-notification-recipients.ts).
      if (outcome.kind === 'ok' && outcome.hint === null) this.logger.debug(line);
      else this.logger.warn(`${line} (${outcome.errcode ?? '-'} ${outcome.errmsg})`);
      return { claimed, startedAt, finishedAt, outcome, verdict };
    } catch (error) {
      // The lease runs out and the notification is claimed again; nothing is lost.
      this.logger.error(`Delivering notification ${claimed.id} failed: ${(error as Error).message}`);
      return null;
    }
  }

  private async send(
    bot: BotWithSecrets,
    notification: ClaimedNotification,
    signal: AbortSignal,
  ): Promise<SendOutcome> {
    const message: OutgoingMessage = {
      msgType: notification.msgType,
      title: notification.title,
      text: notification.content,
      atMobiles: notification.atMobiles,
      atUserIds: notification.atUserIds,
      atAll: notification.atAll,
    };
    const started = performance.now();
    try {
      return await this.senders
        .senderFor(bot.botType)
        .send(bot, message, signal, notification.remainingTargets, notification.recipients);
    } catch (error) {
      // A sender refuses a bot whose settings cannot work (e.g. a work notification without agent_id).
      return {
        kind: 'permanent',
        httpStatus: null,
        errcode: null,
        errmsg: (error as Error).message,
        hint: `The service could not send through this bot: ${(error as Error).message}. Check the bot's settings.`,
        latencyMs: Math.round(performance.now() - started),
        remainingTargets: notification.remainingTargets,
      };
    }
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
