import { LoggerService } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { SchedulerRegistry } from '@nestjs/schedule';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../test/support/clocks';
import { LogCapture } from '../../../test/support/log-capture';
import { createLogger } from '../../logging/create-logger';
import { PinoNestLogger } from '../../logging/nest-logger';
import { ClockModule } from '../clock.module';
import { ClockScheduler } from './clock-scheduler';
import { SchedulingModule } from './scheduling.module';

describe('ClockScheduler', () => {
  let module: TestingModule;
  const clock = new ManualClock();

  /** `logger` takes what the scheduler logs (by default Nest's testing logger prints errors to the console). */
  async function start(logger?: LoggerService): Promise<ClockScheduler> {
    const builder = Test.createTestingModule({
      imports: [ClockModule.forRoot(clock), SchedulingModule],
    });
    if (logger) builder.setLogger(logger);
    module = await builder.compile();
    await module.init();
    return module.get(ClockScheduler);
  }

  afterEach(async () => {
    await module?.close();
  });

  it('runs a job every period of the Clock, registered by name in SchedulerRegistry', async () => {
    const scheduler = await start();
    const runs: number[] = [];
    const started = clock.now();
    scheduler.every('count', 10_000, () => Promise.resolve(void runs.push(clock.now() - started)));

    expect(module.get(SchedulerRegistry).getIntervals()).toEqual(['count']);
    await clock.advance(9_999);
    expect(runs).toEqual([]);
    await clock.advance(25_001);
    expect(runs).toEqual([10_000, 20_000, 30_000]);
  });

  it('never overlaps runs: the next one is due a period after a slow one ended', async () => {
    const scheduler = await start();
    let release!: () => void;
    let runs = 0;
    scheduler.every('slow', 1_000, () => {
      runs += 1;
      return new Promise<void>((resolve) => (release = resolve));
    });

    await clock.advance(5_000);
    expect(runs).toBe(1);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    await clock.advance(999);
    expect(runs).toBe(1);
    await clock.advance(1);
    expect(runs).toBe(2);
    release();
  });

  it('keeps running after a failed run, and logs the failure', async () => {
    const logs = new LogCapture();
    const scheduler = await start(new PinoNestLogger(createLogger({ level: 'debug', destination: logs })));
    let runs = 0;
    scheduler.every('flaky', 1_000, () => {
      runs += 1;
      return runs === 1 ? Promise.reject(new Error('database away')) : Promise.resolve();
    });

    await clock.advance(3_000);
    expect(runs).toBe(3);
    expect(logs.find('failed')).toEqual([
      expect.objectContaining({
        level: 'error',
        context: 'ClockScheduler',
        msg: 'Job flaky failed: database away',
      }),
    ]);
  });

  it('stops a job deleted from SchedulerRegistry', async () => {
    const scheduler = await start();
    let runs = 0;
    scheduler.every('deleted', 1_000, () => Promise.resolve(void (runs += 1)));

    await clock.advance(1_000);
    module.get(SchedulerRegistry).deleteInterval('deleted');
    await clock.advance(5_000);
    expect(runs).toBe(1);
  });

  it('runs a daily job at the hour of the time zone, every day, registered by name in SchedulerRegistry', async () => {
    const scheduler = await start();
    const runs: string[] = [];
    clock.set(Date.UTC(2026, 10, 24, 2, 0, 0)); // 10:00 in Shanghai
    scheduler.daily('nightly', { hour: 4, timeZone: 'Asia/Shanghai' }, () =>
      Promise.resolve(void runs.push(new Date(clock.now()).toISOString())),
    );

    expect(module.get(SchedulerRegistry).getIntervals()).toEqual(['nightly']);
    await clock.advance(18 * 3_600_000 - 1);
    expect(runs).toEqual([]);
    await clock.advance(2 * 24 * 3_600_000);
    // 04:00 in Shanghai is 20:00 UTC the day before.
    expect(runs).toEqual(['2026-11-24T20:00:00.000Z', '2026-11-25T20:00:00.000Z']);
  });

  it('aborts the signal of a run in progress at shutdown', async () => {
    const scheduler = await start();
    let seen: AbortSignal | undefined;
    scheduler.every('long', 1_000, async (signal) => {
      seen = signal;
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    });
    await clock.advance(1_000);
    expect(seen?.aborted).toBe(false);

    await module.close();
    expect(seen?.aborted).toBe(true);
  });

  it('waits at shutdown for a run in progress, then runs no more', async () => {
    const scheduler = await start();
    let release!: () => void;
    let runs = 0;
    let finished = false;
    scheduler.every('busy', 1_000, async () => {
      runs += 1;
      await new Promise<void>((resolve) => (release = resolve));
      finished = true;
    });
    await clock.advance(1_000);

    const closing = module.close();
    await new Promise((resolve) => setImmediate(resolve));
    expect(finished).toBe(false);
    release();
    await closing;
    expect(finished).toBe(true);
    await clock.advance(10_000);
    expect(runs).toBe(1);
  });
});
