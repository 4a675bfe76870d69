import { Clock, ClockTimer } from '../../src/common/clock';
import { waitFor } from './wait-for';

/**
 * Time runs `scale` times faster than real time, from `start`. Give the same instance to the application
 * (startTestApp({ clock })) and to the simulator (startSimulator({ clock })) so that both agree on what time it is.
 */
export class ScaledClock extends Clock {
  private readonly realStart = performance.now();

  constructor(
    readonly scale: number,
    private readonly start = Date.now(),
  ) {
    super();
  }

  now(): number {
    return Math.round(this.start + (performance.now() - this.realStart) * this.scale);
  }

  setTimeout(callback: () => void, delayMs: number): ClockTimer {
    const timer = setTimeout(callback, Math.max(0, delayMs) / this.scale);
    timer.unref();
    return timer;
  }

  clearTimeout(timer: ClockTimer | undefined): void {
    if (timer) clearTimeout(timer as NodeJS.Timeout);
  }
}

interface ManualTimer extends ClockTimer {
  at: number;
  callback: () => void;
  cancelled: boolean;
}

/** Time stands still until the test moves it with `advance`, which fires every timer that falls due, in order. */
export class ManualClock extends Clock {
  private timers: ManualTimer[] = [];

  constructor(private current = Date.UTC(2026, 10, 24, 2, 0, 0)) {
    super();
  }

  now(): number {
    return this.current;
  }

  set(ms: number): void {
    this.current = ms;
  }

  setTimeout(callback: () => void, delayMs: number): ClockTimer {
    const timer: ManualTimer = { at: this.current + Math.max(0, delayMs), callback, cancelled: false };
    this.timers.push(timer);
    return timer;
  }

  clearTimeout(timer: ClockTimer | undefined): void {
    if (timer) (timer as ManualTimer).cancelled = true;
  }

  /** Moves time forward, running due timers (and the promise jobs they start) as time passes them. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      this.timers = this.timers.filter((timer) => !timer.cancelled);
      const next = this.timers.filter((timer) => timer.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.current = Math.max(this.current, next.at);
      next.cancelled = true;
      next.callback();
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.current = target;
    await new Promise((resolve) => setImmediate(resolve));
  }

  /**
   * Lets the service act on everything due at the current instant (time does not move), until `ready` holds:
   * waits in real time, as waitFor does, for what happens over sockets.
   */
  settle(ready: () => Promise<boolean> | boolean, what: string): Promise<void> {
    return waitFor(async () => {
      await this.advance(0);
      return ready();
    }, what);
  }
}
