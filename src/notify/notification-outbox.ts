import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  DataSource,
  EntityManager,
  EntitySubscriberInterface,
  QueryRunner,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';
import { Clock } from '../common/clock';
import {
  LeadingWrite,
  OutboxRepository,
  OutgoingNotification,
  QueuedNotification,
} from './delivery/queue/outbox.repository';

export type { LeadingWrite, OutgoingNotification, QueuedNotification };

/** What became of a resend: queued again, or refused (the bot is gone, or a send of the row is in flight). */
export type RequeueResult = 'requeued' | 'bot_deleted' | 'being_sent';

/**
 * The one door into delivery: every message the service writes to be sent (a report's, a batch send's, a summary's,
 * a resend, a test message) enters the queue here, inside the caller's transaction, with its bot marked due in the
 * same commit, so that once the caller's transaction commits the message will be delivered whatever happens next.
 * Except where a dispatcher round holds the bot's state row at that moment: the write does not wait for it, and the
 * bot is marked due right after the commit by the dispatcher, to which the signal hands it (or, should this process
 * stop first, by the sweep of any instance: outbox.repository.ts markDueUnlessHeld says why).
 * Rows get ascending ids in the order given: the parts of a message (one `partOf`) leave in id order. One statement
 * for any number of rows, and for the write that causes them if the caller hands it over (LeadingWrite): this is on
 * the path of every report. The SQL is OutboxRepository's.
 *
 * And the one wake signal: once the transaction that wrote something to send has committed, the outbox says so to
 * whoever listens (the dispatcher, `whenCommitted`). Not before the commit (the dispatcher's round would not see the
 * rows yet) and never for a transaction that rolled back; a write outside a transaction has committed when its
 * statement returns. Callers neither wake the dispatcher nor emit anything: writing through the door is enough.
 */
@Injectable()
export class NotificationOutbox implements EntitySubscriberInterface, OnModuleInit {
  private readonly logger = new Logger(NotificationOutbox.name);
  /**
   * Connections whose open transaction wrote something to send: the signal waits for their commit. With the bots
   * the transaction's writes could not mark due (held by a round), to be marked once it has committed.
   */
  private readonly awaitingCommit = new WeakMap<QueryRunner, Set<number>>();
  private readonly listeners: Array<(heldBots: readonly number[]) => void> = [];

  constructor(
    private readonly rows: OutboxRepository,
    private readonly clock: Clock,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Before anything can be written: TypeORM tells its subscribers of commits and rollbacks (see below). */
  onModuleInit(): void {
    this.dataSource.subscribers.push(this);
  }

  /**
   * `listener` runs each time notifications to send have been committed, with the bots of theirs that are still to
   * be marked due (their state row was held by a round when they were written; usually none).
   */
  whenCommitted(listener: (heldBots: readonly number[]) => void): void {
    this.listeners.push(listener);
  }

  async enqueue(
    manager: EntityManager,
    messages: readonly OutgoingNotification[],
    leading?: LeadingWrite,
  ): Promise<QueuedNotification[]> {
    if (messages.length === 0 && !leading) return [];
    // Due now by the dispatcher's clock (the database's now() is not the clock tests control).
    const { queued, heldBots } = await this.rows.enqueue(
      manager,
      messages,
      new Date(this.clock.now()),
      leading,
    );
    if (queued.some((row) => row.status === 'pending')) this.signalOnCommit(manager, heldBots);
    return queued;
  }

  /**
   * A message its writer sends itself, at once (the test button): written leased to `lease.owner` under a new claim
   * number, so that it is in the delivery log and recorded like any other, but never claimed by the dispatcher (a
   * test message is never its turn: IN_TURN in delivery/queue/queue-conditions.ts). No wake: nothing waits for the
   * dispatcher.
   */
  async enqueueClaimed(
    manager: EntityManager,
    message: OutgoingNotification,
    lease: { owner: string; ms: number },
  ): Promise<{ id: string; claim: string }> {
    return this.rows.enqueueClaimed(manager, message, new Date(this.clock.now()), lease);
  }

  /**
   * A resend: the notification queued again, due now, with a fresh retry schedule (OutboxRepository.requeue), its
   * bot marked due first (the lock order of the delivery queue: the bot's state row, then the row).
   */
  async requeue(manager: EntityManager, id: string, botId: number): Promise<RequeueResult> {
    const now = new Date(this.clock.now());
    const marked = await this.rows.markDue(manager, [botId], now);
    if (!marked.has(botId)) return 'bot_deleted';
    if (!(await this.rows.requeue(manager, id, now))) return 'being_sent';
    this.signalOnCommit(manager, []);
    return 'requeued';
  }

  /** TypeORM, after a COMMIT (or a savepoint's release, which commits nothing yet). */
  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (event.queryRunner.isTransactionActive) return;
    const heldBots = this.awaitingCommit.get(event.queryRunner);
    if (!heldBots) return;
    this.awaitingCommit.delete(event.queryRunner);
    this.signal([...heldBots]);
  }

  /** TypeORM, after a ROLLBACK: nothing was written. */
  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) this.awaitingCommit.delete(event.queryRunner);
  }

  private signalOnCommit(manager: EntityManager, heldBots: readonly number[]): void {
    const runner = manager.queryRunner;
    if (!runner?.isTransactionActive) return this.signal(heldBots); // No transaction: the statement committed alone.
    const awaiting = this.awaitingCommit.get(runner) ?? new Set<number>();
    for (const botId of heldBots) awaiting.add(botId);
    this.awaitingCommit.set(runner, awaiting);
  }

  /** Called once the write has committed: a listener's failure must not turn the caller's success into an error. */
  private signal(heldBots: readonly number[]): void {
    for (const listener of this.listeners) {
      try {
        listener(heldBots);
      } catch (error) {
        this.logger.error(
          `Signalling committed notifications failed: ${(error as Error).message}; the dispatcher's sweep finds them`,
        );
      }
    }
  }
}
