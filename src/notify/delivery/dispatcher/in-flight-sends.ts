import { Logger } from '@nestjs/common';
import { Clock } from '../../../common/clock';
import { outsideRequests } from '../../../database/waiting-queries-limit';
import { ClaimedNotification } from '../queue/claimed-notification';
import { DeliveryQueue } from '../queue/delivery-queue';

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
 * The sends of one dispatcher that are in flight, and their leases: a claimed notification (and its bot) is leased
 * for `leaseMs` of the database's clock and renewed every quarter lease while its send runs, so that a slow send is
 * never taken over by another instance. A send whose lease was taken over (or resent) is stopped; so is one whose
 * lease would run out unrenewed (the database is away, or a renewal hangs), by a local timer of its own.
 */
export class InFlightSends {
  private readonly sends = new Map<string, InFlightSend>();
  private readonly running = new Set<Promise<void>>();
  private renewing: Promise<void> | null = null;

  constructor(
    private readonly queue: DeliveryQueue,
    private readonly clock: Clock,
    private readonly leaseMs: number,
    private readonly logger: Logger,
    /** Claims whose results wait to be recorded: their leases are renewed too (the database may be away a while). */
    private readonly unrecorded: () => ClaimedNotification[],
  ) {}

  get size(): number {
    return this.running.size;
  }

  botIds(): number[] {
    return [...this.sends.values()].map((send) => send.claimed.botId);
  }

  /**
   * Runs `work` as the send of `claimed` (its lease written during the round that began at `asked`,
   * performance.now()), with the signal that stops it; `ended` once it is over, whatever became of it.
   */
  add(
    claimed: ClaimedNotification,
    asked: number,
    work: (signal: AbortSignal) => Promise<void>,
    ended: () => void,
  ): void {
    const send: InFlightSend = { claimed, abort: new AbortController(), deadline: undefined };
    // The lease was written during the round that began at `asked`: its end is later than this counts.
    this.armDeadline(send, asked);
    this.sends.set(claimed.id, send);
    const running = work(send.abort.signal).finally(() => {
      clearTimeout(send.deadline);
      this.sends.delete(claimed.id);
      this.running.delete(running);
      ended();
    });
    this.running.add(running);
  }

  /**
   * The leases of the sends in flight (and of the results not yet recorded), extended; a send whose claim no longer
   * holds its row is stopped. One renewal at a time: the scheduler's job and a draining shutdown share it.
   */
  renew(): Promise<void> {
    this.renewing ??= outsideRequests(() => this.renewNow()).finally(() => (this.renewing = null));
    return this.renewing;
  }

  /** The renewal running now, if any, ended. */
  async renewed(): Promise<void> {
    await this.renewing;
  }

  /**
   * Waits for the sends in flight, renewing their leases every quarter lease: the scheduler's renewal job may
   * already have stopped. Bounded by `maxSendMs`, the longest a send can take by its deadlines; a send still going
   * then (it ignored them) is stopped, and its result recorded like any other.
   */
  async drain(maxSendMs: number): Promise<void> {
    const giveUpAt = this.clock.now() + maxSendMs;
    while (this.running.size > 0) {
      const tick = new AbortController();
      await Promise.race([
        Promise.allSettled([...this.running]),
        this.clock.sleep(Math.min(this.leaseMs / 4, Math.max(0, giveUpAt - this.clock.now())), tick.signal),
      ]);
      tick.abort();
      if (this.running.size === 0) return;
      if (this.clock.now() >= giveUpAt) {
        this.logger.error(
          `${this.running.size} sends still in flight after ${maxSendMs} ms, longer than their deadlines ` +
            'allow: stopping them',
        );
        for (const send of this.sends.values()) send.abort.abort(new Error('the service is stopping'));
        await Promise.allSettled([...this.running]);
        return;
      }
      void this.renew();
    }
  }

  private async renewNow(): Promise<void> {
    const sends = [...this.sends.values()];
    const unrecorded = this.unrecorded();
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
        if (!this.sends.has(send.claimed.id)) continue;
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
}
