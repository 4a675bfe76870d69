import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../common/clock';
import { ClockScheduler } from '../common/scheduling/clock-scheduler';
import { HEARTBEAT_MS, INSTANCE_HEARTBEAT, ServiceInstanceRepository } from './service-instance.repository';

/** Keeps this instance in the cluster's list: a heartbeat at start, every HEARTBEAT_MS, and a goodbye at stop. */
@Injectable()
export class InstanceHeartbeat implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(InstanceHeartbeat.name);
  private readonly startedAt: number;

  constructor(
    private readonly instances: ServiceInstanceRepository,
    private readonly scheduler: ClockScheduler,
    clock: Clock,
  ) {
    this.startedAt = clock.now();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.beat();
    this.scheduler.every(INSTANCE_HEARTBEAT, HEARTBEAT_MS, () => this.beat());
    this.logger.log(`Instance ${this.instances.instanceId} joined the cluster`);
  }

  /** The heartbeat job has stopped by now (ClockScheduler stops jobs before any module shuts down). */
  async onApplicationShutdown(): Promise<void> {
    try {
      await this.instances.leave();
    } catch (error) {
      this.logger.warn(
        `Instance not removed from the cluster list (${error instanceof Error ? error.message : String(error)}); it drops out when its heartbeat ages`,
      );
    }
  }

  /** The database is away for a moment: the instance simply looks older until the next beat. */
  private async beat(): Promise<void> {
    try {
      await this.instances.beat(this.startedAt);
    } catch (error) {
      this.logger.warn(`Heartbeat not written: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
