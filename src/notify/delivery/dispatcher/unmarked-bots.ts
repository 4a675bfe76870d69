import type { Logger } from '@nestjs/common';
import type { Clock, ClockTimer } from '../../../common/clock';
import type { DeliveryQueue } from '../queue/delivery-queue';

/**
 * The bots whose new notifications were committed without their due mark, because another transaction held the
 * bot's state row when they were written (outbox.repository.ts markDueUnlessHeld): the dispatcher marks them before
 * its next claim, without waiting for a holder (a bot still held is tried again `retryMs` later, so that one holder
 * never stalls every bot's round), and once it stops, at once and waiting. Should the process end first, the sweep
 * finds them (queue-upkeep.repository.ts).
 */
export class UnmarkedBots {
  private bots = new Set<number>();
  /** While some are still held, they are tried again from this moment on (clock ms). */
  private retryAt = 0;
  private retryTimer: ClockTimer | undefined;

  constructor(
    private readonly queue: DeliveryQueue,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly retryMs: number,
    /** Called when the bots still held may be tried again. */
    private readonly onRetry: () => void,
  ) {}

  add(botIds: readonly number[]): void {
    for (const botId of botIds) this.bots.add(botId);
  }

  /** Some wait to be marked, and not for a holder. */
  get due(): boolean {
    return this.bots.size > 0 && this.clock.now() >= this.retryAt;
  }

  /**
   * Marks them due now, without waiting: true when any was marked (a claim may find it due). Those still held are
   * kept for `retryMs` later; all are kept when the database refused (the error is thrown).
   */
  async mark(): Promise<boolean> {
    const botIds = [...this.bots];
    this.bots = new Set();
    let held: number[];
    try {
      held = await this.queue.markDueUnlessHeld(botIds, this.clock.now());
    } catch (error) {
      this.add(botIds);
      throw error;
    }
    if (held.length > 0) {
      this.add(held);
      this.retryAt = this.clock.now() + this.retryMs;
      this.clock.clearTimeout(this.retryTimer);
      // The timer says when (a timer may fire a millisecond before the clock reads the moment it was set for).
      this.retryTimer = this.clock.setTimeout(() => {
        this.retryAt = 0;
        this.onRetry();
      }, this.retryMs);
    }
    return held.length < botIds.length;
  }

  /**
   * For a dispatcher that no longer runs rounds (stopping, or not started): `botIds` marked now, waiting for their
   * holders. A failure is logged: the sweep of another instance marks them.
   */
  async markAtOnce(botIds: readonly number[]): Promise<void> {
    if (botIds.length === 0) return;
    try {
      await this.queue.markDue(botIds, this.clock.now());
    } catch (error) {
      this.logger.error(
        `Marking bots ${botIds.join(', ')} due failed: ${(error as Error).message}; the sweep of another instance ` +
          'marks them',
      );
    }
  }

  /** A dispatcher that stops: every waiting bot marked at once (markAtOnce), no retry left armed. */
  markAllAtOnce(): Promise<void> {
    const all = [...this.bots];
    this.bots = new Set();
    this.clock.clearTimeout(this.retryTimer);
    return this.markAtOnce(all);
  }
}
