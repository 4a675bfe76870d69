import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';

/** Each instance writes its heartbeat this often, by the job of this name. */
export const HEARTBEAT_MS = 10_000;
export const INSTANCE_HEARTBEAT = 'instance-heartbeat';
/** An instance whose last heartbeat is older than this is not listed as live (three missed beats). */
export const INSTANCE_TTL_MS = 30_000;
/** Rows of instances silent for this long are deleted by whichever instance beats next. */
const FORGET_AFTER_MS = 24 * 60 * 60_000;

export interface ServiceInstanceRow {
  instance_id: string;
  started_at: Date;
  last_heartbeat_at: Date;
}

/** The instances that share the database, each with its last heartbeat (table `service_instances`). */
@Injectable()
export class ServiceInstanceRepository {
  readonly instanceId: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.instanceId = config.instanceId;
  }

  /** Records that this instance is alive now (and when it started), and forgets long-dead instances. */
  async beat(startedAt: number): Promise<void> {
    const now = this.clock.now();
    await this.dataSource.query(
      `INSERT INTO service_instances (instance_id, started_at, last_heartbeat_at) VALUES ($1, $2, $3)
       ON CONFLICT (instance_id) DO UPDATE SET last_heartbeat_at = EXCLUDED.last_heartbeat_at`,
      [this.instanceId, new Date(startedAt), new Date(now)],
    );
    await this.dataSource.query(`DELETE FROM service_instances WHERE last_heartbeat_at < $1`, [
      new Date(now - FORGET_AFTER_MS),
    ]);
  }

  /** A clean stop: the instance leaves the list at once instead of after INSTANCE_TTL_MS. */
  async leave(): Promise<void> {
    await this.dataSource.query(`DELETE FROM service_instances WHERE instance_id = $1`, [this.instanceId]);
  }

  /** Instances with a heartbeat within INSTANCE_TTL_MS, oldest first. */
  async live(): Promise<ServiceInstanceRow[]> {
    return this.dataSource.query<ServiceInstanceRow[]>(
      `SELECT instance_id, started_at, last_heartbeat_at FROM service_instances
       WHERE last_heartbeat_at >= $1 ORDER BY started_at, instance_id`,
      [new Date(this.clock.now() - INSTANCE_TTL_MS)],
    );
  }
}
