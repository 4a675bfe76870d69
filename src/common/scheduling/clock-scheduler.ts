import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { outsideRequests } from '../../database/waiting-queries-limit';
import { Clock, ClockTimer } from '../clock';
import { msUntilTimeOfDay } from './time-of-day';

/** A job of the scheduler; `signal` aborts at shutdown, so that a long run can stop between two steps. */
export type ScheduledJob = (signal: AbortSignal) => Promise<void>;

/** When a daily job runs: at `hour`:00 local time in `timeZone` (an IANA name such as Asia/Shanghai). */
export interface TimeOfDay {
  readonly hour: number;
  readonly timeZone: string;
}

/** A scheduled job, as SchedulerRegistry holds it under its name. */
class ClockInterval {
  private timer: ClockTimer | undefined;
  private run: Promise<void> | null = null;
  private readonly abort = new AbortController();

  constructor(
    private readonly clock: Clock,
    /** How long from now the next run is due. */
    private readonly nextDelayMs: () => number,
    private readonly job: ScheduledJob,
    private readonly stillRegistered: (interval: ClockInterval) => boolean,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    this.timer = this.clock.setTimeout(() => this.tick(), this.nextDelayMs());
  }

  /** Stops the job, waiting for a run in progress (which sees its signal aborted). */
  async stop(): Promise<void> {
    this.abort.abort();
    this.clock.clearTimeout(this.timer);
    await this.run;
  }

  private tick(): void {
    // Deleted from the registry (SchedulerRegistry.deleteInterval cannot clear a Clock timer): end here.
    if (this.abort.signal.aborted || !this.stillRegistered(this)) return;
    // Jobs are background work: no request's ceiling on database waits (lease and heartbeat renewals among them).
    this.run = outsideRequests(() => this.job(this.abort.signal))
      .catch(this.onError)
      .finally(() => {
        this.run = null;
        if (!this.abort.signal.aborted) this.start();
      });
  }
}

/**
 * Scheduled jobs of the application. Each is registered by name in @nestjs/schedule's SchedulerRegistry and fires
 * on the injected Clock rather than on the process's timers, so tests that move time move the jobs too (a cron
 * job of @nestjs/schedule would run on the system time). The next run is due after the previous one ended: runs
 * of a job never overlap, however slow the database. Shutdown aborts every job's signal and waits for runs in
 * progress, before any module's onApplicationShutdown.
 */
@Injectable()
export class ClockScheduler implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ClockScheduler.name);
  private readonly jobs = new Map<string, ClockInterval>();

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly clock: Clock,
  ) {}

  /** Runs `job` every `periodMs` of the Clock's time (the first run one period from now) until shutdown. */
  every(name: string, periodMs: number, job: ScheduledJob): void {
    this.add(name, () => periodMs, job);
  }

  /**
   * Runs `job` once a day at `at.hour`:00 in `at.timeZone` by the Clock (the first run at the next such hour),
   * until shutdown. A process that restarts every few hours still runs it every day, unlike a 24-hour period.
   */
  daily(name: string, at: TimeOfDay, job: ScheduledJob): void {
    this.add(name, () => msUntilTimeOfDay(this.clock.now(), at.hour, at.timeZone), job);
  }

  async beforeApplicationShutdown(): Promise<void> {
    const jobs = [...this.jobs.values()];
    this.jobs.clear();
    await Promise.all(jobs.map((job) => job.stop()));
  }

  private add(name: string, nextDelayMs: () => number, job: ScheduledJob): void {
    const interval = new ClockInterval(
      this.clock,
      nextDelayMs,
      job,
      (self) => this.registry.doesExist('interval', name) && this.registry.getInterval(name) === self,
      (error) =>
        this.logger.error(`Job ${name} failed: ${error instanceof Error ? error.message : String(error)}`),
    );
    this.registry.addInterval(name, interval);
    this.jobs.set(name, interval);
    interval.start();
  }
}
