import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Clock, ClockTimer } from '../clock';

/** A periodic job, as SchedulerRegistry holds it under its name. */
class ClockInterval {
  private timer: ClockTimer | undefined;
  private run: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly periodMs: number,
    private readonly job: () => Promise<void>,
    private readonly stillRegistered: (interval: ClockInterval) => boolean,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    this.timer = this.clock.setTimeout(() => this.tick(), this.periodMs);
  }

  /** Stops the job, waiting for a run in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clock.clearTimeout(this.timer);
    await this.run;
  }

  private tick(): void {
    // Deleted from the registry (SchedulerRegistry.deleteInterval cannot clear a Clock timer): end here.
    if (this.stopped || !this.stillRegistered(this)) return;
    this.run = this.job()
      .catch(this.onError)
      .finally(() => {
        this.run = null;
        if (!this.stopped) this.start();
      });
  }
}

/**
 * Periodic jobs of the application. Each is registered by name in @nestjs/schedule's SchedulerRegistry and fires
 * on the injected Clock rather than on the process's timers, so tests that move time move the jobs too. The next
 * run is due a period after the previous one ended: runs of a job never overlap, however slow the database.
 * Shutdown stops every job and waits for runs in progress, before any module's onApplicationShutdown.
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
  every(name: string, periodMs: number, job: () => Promise<void>): void {
    const interval = new ClockInterval(
      this.clock,
      periodMs,
      job,
      (self) => this.registry.doesExist('interval', name) && this.registry.getInterval(name) === self,
      (error) =>
        this.logger.error(`Job ${name} failed: ${error instanceof Error ? error.message : String(error)}`),
    );
    this.registry.addInterval(name, interval);
    this.jobs.set(name, interval);
    interval.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    const jobs = [...this.jobs.values()];
    this.jobs.clear();
    await Promise.all(jobs.map((job) => job.stop()));
  }
}
