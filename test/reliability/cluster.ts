import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, ServiceProcess, startServiceProcess } from '../support/service-process';
import { TEST_TMP_ROOT } from '../support/paths';

/** One service process of the cluster. */
export interface Instance {
  id: string;
  url: string;
  process: ServiceProcess;
  alive: boolean;
}

/**
 * The service as several real processes on one database (src/main.ts each, as an operator runs it), so that an
 * instance can be SIGKILLed: no shutdown hook runs, its leases and claims are simply abandoned.
 */
export class Cluster {
  readonly instances: Instance[] = [];
  private next = 1;

  constructor(private readonly env: Record<string, string>) {}

  /** Starts one more instance and waits until it answers /health. */
  async start(): Promise<Instance> {
    const id = `rel-${this.next++}`;
    const dataDir = mkdtempSync(join(TEST_TMP_ROOT, `${id}-`));
    const port = await freePort();
    const process = await startServiceProcess(
      { ...this.env, INSTANCE_ID: id, DATA_DIR: dataDir },
      port,
      300_000,
    );
    const instance: Instance = { id, url: process.url, process, alive: true };
    this.instances.push(instance);
    return instance;
  }

  live(): Instance[] {
    return this.instances.filter((instance) => instance.alive);
  }

  /** SIGKILL, as a crash or an OOM kill would end it. */
  async kill(instance: Instance): Promise<void> {
    instance.alive = false;
    await instance.process.kill();
  }

  async stopAll(): Promise<void> {
    await Promise.all(
      this.live().map(async (instance) => {
        instance.alive = false;
        await instance.process.stop();
      }),
    );
  }
}
