import { Injectable } from '@nestjs/common';

/** A pending timer of a Clock; cancel it with `clock.clearTimeout(timer)`. */
export interface ClockTimer {
  unref?(): void;
}

/**
 * The time source of everything that waits or expires (token lifetimes, rate limits, backoff, reconnects).
 * Production uses the system clock; tests pass one they control (test/support/clocks.ts), so that ten minutes of
 * DingTalk throttling can pass in a second. Timers are `unref`ed: no timer keeps the process alive.
 */
export abstract class Clock {
  abstract now(): number;
  abstract setTimeout(callback: () => void, delayMs: number): ClockTimer;
  abstract clearTimeout(timer: ClockTimer | undefined): void;

  /**
   * The time SQL takes for "now" where several instances compare times (a robot's sends, pauses): null, the
   * database's own clock (database/database-time.ts), as the system clock says in production. A test's clock gives
   * its own time instead, so that moving it moves those times exactly as it moves every other.
   */
  databaseNowOverride(): number | null {
    return this.now();
  }

  /** Resolves after `delayMs` of this clock's time, or at once when `signal` aborts. */
  sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = this.setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, delayMs);
      const onAbort = () => {
        this.clearTimeout(timer);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

@Injectable()
export class SystemClock extends Clock {
  now(): number {
    return Date.now();
  }

  override databaseNowOverride(): null {
    return null;
  }

  setTimeout(callback: () => void, delayMs: number): ClockTimer {
    const timer = setTimeout(callback, Math.max(0, delayMs));
    timer.unref();
    return timer;
  }

  clearTimeout(timer: ClockTimer | undefined): void {
    if (timer) clearTimeout(timer as NodeJS.Timeout);
  }
}
