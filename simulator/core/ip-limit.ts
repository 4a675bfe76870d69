/**
 * DingTalk's ceiling per egress IP (docs/dingtalk/README.md, "Call limits"): past `maxCalls` calls in any
 * `windowMs` (DingTalk: 10,000 in 20 s; unconfirmed) the IP is blocked for `blockMs` (5 minutes), and every call
 * meanwhile gets the block answer — JSON `{"status":1111,"wait":…}` (HTTP 200; `wait` in minutes, fractional when
 * a test's block is shorter than a minute) or an HTML page (HTTP 403).
 */
export interface IpLimit {
  windowMs: number;
  maxCalls: number;
  blockMs: number;
  answer: 'json' | 'html';
}

/** What the standing IP limit saw: every call it let through or blocked, with the simulator's time. */
export interface IpLimitLog {
  passed: number[];
  blocked: number[];
}

export class IpLimiter {
  limit: IpLimit | null = null;
  blockedUntil = 0;
  readonly log: IpLimitLog = { passed: [], blocked: [] };
  /** Arrivals counted in the current window (all callers are one IP: the simulator listens on loopback). */
  private arrivals: number[] = [];

  set(limit: IpLimit | null): void {
    this.limit = limit;
    this.arrivals = [];
  }

  /** Lifts the limit and ends a block (a test moving on), keeping the log. */
  reset(): void {
    this.set(null);
    this.blockedUntil = 0;
    this.log.passed.length = 0;
    this.log.blocked.length = 0;
  }

  /** Counts a call: true when it may pass, false when it gets the block answer. */
  take(now: number): boolean {
    if (now < this.blockedUntil) {
      this.log.blocked.push(now);
      return false;
    }
    if (!this.limit) {
      this.log.passed.push(now);
      return true;
    }
    this.arrivals = this.arrivals.filter((at) => at > now - this.limit!.windowMs);
    if (this.arrivals.length >= this.limit.maxCalls) {
      this.blockedUntil = now + this.limit.blockMs;
      this.arrivals = [];
      this.log.blocked.push(now);
      return false;
    }
    this.arrivals.push(now);
    this.log.passed.push(now);
    return true;
  }
}
