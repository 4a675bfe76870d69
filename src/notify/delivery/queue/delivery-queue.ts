import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { useGenericPlans } from '../../../database/plan-cache';
import { SEND_HEALTH, SendHealthChange, SendHealthWrite } from '../../send-health';
import { ClaimRepository } from './claim.repository';
import { ClaimedNotification, SendResult } from './claimed-notification';
import { LeaseRepository } from './lease.repository';
import { OutboxRepository } from './outbox.repository';
import { QueueUpkeepRepository } from './queue-upkeep.repository';
import { RateWindowRepository } from './rate-window.repository';
import { RecordingRepository } from './recording.repository';

export interface CycleRequest {
  owner: string;
  /** Sends that finished since the last cycle: recorded first, which frees their bots for this cycle's claim. */
  results: readonly SendResult[];
  /** How many notifications to lease now (free send slots); 0 only records. */
  maxClaims: number;
  /**
   * Bots this instance is still sending to or has results of not yet recorded: passed over even if their lease
   * ran out (a slow send must not be doubled by its own instance).
   */
  busyBotIds: readonly number[];
  now: number;
  leaseMs: number;
}

export interface CycleAnswer {
  /** Ids of the recorded results whose claim still held the row (the others were taken over or resent). */
  held: Set<string>;
  claimed: ClaimedNotification[];
  /** The earliest moment any bot needs the dispatcher again; null when nothing waits. */
  nextDueAt: number | null;
}

/**
 * The notifications table as a queue, shared by every instance on the database, as the dispatcher sees it: a round
 * (record what finished, claim what is due), the leases of sends in flight, the sweep. Nothing here waits for
 * DingTalk. The SQL is in the repositories beside it, one per seam: claim (claim.repository.ts, with the digest fold
 * and the skip of what cannot go), leases (lease.repository.ts), recording (recording.repository.ts), DingTalk's
 * limits (rate-window.repository.ts), upkeep (queue-upkeep.repository.ts).
 *
 * Lease and due times are the injected clock's (passed in), so that tests can move them; except the ends of leases
 * (`lease_expires_at`, `busy_until`), which are the database's (LEASE_FREE), and a claim's number, which fences its
 * results (migration 1764002000000). The times several instances compare with each other, a robot's sends and
 * pauses, are the database's too (database/database-time.ts).
 *
 * Each bot has a row in `bot_delivery_states` that says when it next needs the dispatcher (`next_due_at`) and
 * whether a send is in flight (`busy_until`/`busy_owner`/`busy_claim`, a lease). Each DingTalk robot has a row in
 * `robot_rate_windows` (its sends of the last minute, a throttle pause), shared by all the bots that send through it;
 * an app's row holds a pause of all its bots. A claim takes the due bots through an index on `next_due_at` (SKIP
 * LOCKED: a bot another instance is claiming for is passed over), locks their robots (SKIP LOCKED again), leases each
 * bot's oldest due notification unless its robot's window or a pause holds it back, and sets the bot's next moment;
 * recording a result frees the bot and sets its next moment from what still waits. So the cost of a claim follows
 * the work due, never the number of bots, and one bot has one send in flight, oldest first.
 *
 * Lock order, to rule out deadlocks: a bot's state row before its notifications and before robot rows, bots in id
 * order and robots in key order where a statement waits for several (claims never wait: SKIP LOCKED); the cluster's
 * budget row (dingtalk_call_budget) last of all, in every transaction that takes it with others: the claim pays in
 * its last statement (LEASE_AND_APPLY), the test button after its robot row (reserveSend), and a round that records
 * an IP block (or the test button's `record`) writes it at its end and claims nothing (cycle).
 *
 * What DingTalk answered says something of each bot's health, also for a result whose claim was lost (the answer
 * was real): the recording writes that in its own statement (SendHealthWrite), so the two commit together. Once
 * committed, the changes of health are told (logs, metrics), not awaited: a round does not wait for them.
 */
@Injectable()
export class DeliveryQueue {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly recording: RecordingRepository,
    private readonly claims: ClaimRepository,
    private readonly windows: RateWindowRepository,
    private readonly leases: LeaseRepository,
    private readonly upkeep: QueueUpkeepRepository,
    private readonly outbox: OutboxRepository,
    @Inject(SEND_HEALTH) private readonly health: SendHealthWrite,
  ) {}

  /**
   * Marks due at `now` the bots whose new notifications could not mark them due when they were written (another
   * transaction held their state row: outbox.repository.ts markDueUnlessHeld), once those have committed, without
   * waiting: answers the bots still held, to be tried again. A bot deleted meanwhile is left out.
   */
  markDueUnlessHeld(botIds: readonly number[], now: number): Promise<number[]> {
    return this.outbox.markDueUnlessHeld(this.dataSource.manager, botIds, new Date(now));
  }

  /** As markDueUnlessHeld, waiting for the holders: for a dispatcher that no longer runs rounds. */
  async markDue(botIds: readonly number[], now: number): Promise<void> {
    await this.outbox.markDue(this.dataSource.manager, botIds, new Date(now));
  }

  /**
   * One round of the dispatcher, in one short transaction: record the finished sends, lease up to `maxClaims`
   * due notifications (one per bot), and say when the next one falls due.
   */
  async cycle(request: CycleRequest): Promise<CycleAnswer> {
    let healthChanges: SendHealthChange[] = [];
    const answer = await this.dataSource.transaction(async (manager): Promise<CycleAnswer> => {
      // On generic plans (database/plan-cache.ts): left to choose, PostgreSQL planned some of the round's statements
      // afresh, which ones varying from run to run with the costs of their first five plans on each connection (their
      // parameters are arrays of 1 to 128 elements): the claim's bot read (DUE_BOTS) on 64-99 % of its runs, 0.6-0.9 ms
      // of planning for 0.1-0.25 ms of execution; the recording's statements on 0-59 % of theirs. Per benchmark run
      // of 15,000 reports that was 1.7-3.8 s of planning against 0.3 s, and DUE_BOTS 0.5-0.7 ms less per round, the
      // other statements the same (pg_stat_statements, docs/performance.md round 5). The claim's unprepared
      // statements of rare paths keep custom plans (withCustomPlans). The price: one more round trip per round.
      await useGenericPlans(manager);
      const { held, block, ...recorded } = await this.recording.record(manager, request.results);
      healthChanges = recorded.healthChanges;
      // The cluster's budget row is taken last (the lock order, see the class): a round that records DingTalk's IP
      // block writes it after everything else it locks, and claims nothing (nothing may be sent into the block;
      // NEXT_DUE below sleeps until it ends). Written before the claim, it was held while the claim's LOCK_ROBOTS
      // waited for a robot key another instance had inserted uncommitted, while that instance waited for the
      // budget row in LEASE_AND_APPLY: a deadlock.
      const claim = block ? null : await this.claims.claim(manager, request);
      if (block) await this.windows.blockCluster(manager, block);
      if (claim) return { held, claimed: claim.claimed, nextDueAt: claim.nextDueAt?.getTime() ?? null };
      const due = await this.claims.nextDue(manager);
      return { held, claimed: [], nextDueAt: due?.getTime() ?? null };
    });
    this.tell(healthChanges);
    return answer;
  }

  /**
   * Records sends outside a round (the test button's), in a short transaction of their own, as a round records them
   * (DingTalk's IP block written last): ids of the results whose claim still held the row.
   */
  async record(results: readonly SendResult[]): Promise<Set<string>> {
    const recorded = await this.dataSource.transaction(async (manager) => {
      const recorded = await this.recording.record(manager, results);
      if (recorded.block) await this.windows.blockCluster(manager, recorded.block);
      return recorded;
    });
    this.tell(recorded.healthChanges);
    return recorded.held;
  }

  /** The changes of health the recording committed, told (logs, metrics): nothing waits for that. */
  private tell(changes: readonly SendHealthChange[]): void {
    if (changes.length > 0) void this.health.changed(changes);
  }

  /**
   * Extends the leases of sends still in flight by `leaseMs` of the database's clock; `now` is the caller's clock.
   * Returns the ids whose claim still holds the row: a send missing from it was taken over or resent, and should stop.
   */
  renewLeases(sends: readonly ClaimedNotification[], leaseMs: number, now: number): Promise<Set<string>> {
    return this.leases.renew(sends, leaseMs, now);
  }

  /** Gives back claims whose send never started, where the claim still holds the row: how many were given back. */
  releaseClaims(claims: readonly ClaimedNotification[], now: number): Promise<number> {
    return this.leases.release(claims, now);
  }

  /** Every lease, given back at start-up when no other process can hold one (the embedded database). */
  releaseAllLeases(now: number): Promise<number> {
    return this.leases.releaseAll(now);
  }

  /** The safety net: what cannot go is skipped, bots whose waiting rows nobody marked due are made due. */
  sweep(now: number): Promise<void> {
    return this.upkeep.sweep(now);
  }

  /** A bot was disabled, deleted or moved: what waits for it (of its old store) is skipped now. */
  skipWaitingOf(botId: number, now: number): Promise<void> {
    return this.upkeep.skipWaitingOf(botId, now);
  }
}
