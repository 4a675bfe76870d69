/** A pending timer of a SimClock; hand it back to `clearTimeout` to cancel it. */
export interface SimTimer {
  unref?(): void;
}

/**
 * The simulator's time source: token lifetimes, signature windows, throttling, ticket expiry and redelivery all
 * run on it. It is the simulator's own interface (it shares no code with the service), shaped so that the test
 * clocks (test/support/clocks.ts) fit it as they are: give the service and the simulator the same clock object and
 * both agree on what time it is.
 */
export interface SimClock {
  now(): number;
  setTimeout(callback: () => void, delayMs: number): SimTimer;
  clearTimeout(timer: SimTimer | undefined): void;
}

/** Real time. Timers are `unref`ed, so a simulator never keeps a process alive by itself. */
export class RealSimClock implements SimClock {
  now(): number {
    return Date.now();
  }

  setTimeout(callback: () => void, delayMs: number): SimTimer {
    const timer = setTimeout(callback, Math.max(0, delayMs));
    timer.unref();
    return timer;
  }

  clearTimeout(timer: SimTimer | undefined): void {
    if (timer) clearTimeout(timer as NodeJS.Timeout);
  }
}
