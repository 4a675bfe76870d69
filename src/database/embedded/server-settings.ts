/**
 * The server's configuration, kept apart from the process handling (server-process.ts) so that what the server is
 * tuned for reads in one place, each setting with its reason. They are passed as `-c` options at every start.
 *
 * Settings for one small service on a shared machine, on top of PostgreSQL's defaults (which assume a dedicated
 * server). Each one says why.
 */
export function serverSettings(durable: boolean, maxConnections: number): string[] {
  const settings: Record<string, string> = {
    // One client, the service's pool (src/main.ts), plus headroom for `npm run migration:run`'s single connection
    // and superuser slots. Each slot costs shared memory whether used or not.
    max_connections: String(maxConnections),
    // The buffer cache is counted in the service's memory (proportional set size); 32 MB holds the working set of a
    // store's reports and notifications, and the rest of the files stay in the OS page cache, shared with no one.
    shared_buffers: '32MB',
    // Sorts and hashes of this service's queries are small; the default 4MB per operation stays. Index builds of a
    // migration are the only maintenance work.
    maintenance_work_mem: '32MB',
    // No replicas, no archive: minimal WAL is smaller, and lets a migration's CREATE TABLE / CREATE INDEX skip it.
    wal_level: 'minimal',
    max_wal_senders: '0',
    // 1 GB of WAL between checkpoints is a server's budget; 256 MB bounds DATA_DIR's WAL on a small disk.
    max_wal_size: '256MB',
    min_wal_size: '32MB',
    // Short OLTP statements on two cores: parallel workers and JIT compilation only add processes and memory.
    max_parallel_workers_per_gather: '0',
    max_parallel_maintenance_workers: '0',
    jit: 'off',
    // Nothing subscribes to logical replication: no launcher process.
    max_logical_replication_workers: '0',
    max_sync_workers_per_subscription: '0',
    // Mapped huge pages would be counted whole; try-and-fall-back costs a warning on most machines.
    huge_pages: 'off',
    // Messages in English whatever the machine's locale (the service logs them as they are).
    lc_messages: 'C',
    // The service logs what matters; checkpoints every few minutes are noise in its log.
    log_checkpoints: 'off',
    log_line_prefix: '',
  };
  if (!durable) Object.assign(settings, { fsync: 'off', full_page_writes: 'off', synchronous_commit: 'off' });
  return Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
}
