import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Longest a health check waits for the database's answer. Load balancers probe with deadlines of a few seconds. */
export const DATABASE_PROBE_TIMEOUT_MS = 2_000;

/**
 * Asks the database a real question. Not "is the pool connected": after a restart the pool may hold a fresh
 * connection while the server still refuses queries (starting up, in recovery). Only an answer to `SELECT 1` within the deadline counts as up.
 */
@Injectable()
export class DatabaseProbe {
  constructor(private readonly dataSource: DataSource) {}

  async answers(): Promise<boolean> {
    if (!this.dataSource.isInitialized) return false;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), DATABASE_PROBE_TIMEOUT_MS);
    });
    const query = this.dataSource.query<Array<{ ok: number }>>('SELECT 1 AS ok').then(
      (rows) => rows[0]?.ok === 1,
      () => false,
    );
    try {
      return await Promise.race([query, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }
}
