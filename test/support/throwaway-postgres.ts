import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from './service-process';
import { TestDatabase } from './test-database';

const run = promisify(execFile);

/** Debian's PostgreSQL 15 server binaries (package postgresql-15); another directory with TEST_PG_BIN_DIR. */
const PG_BIN_DIR = process.env.TEST_PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';
/** The server refuses to run as root; as root the test runs its commands as this account. */
const UNPRIVILEGED_USER = 'postgres';
const COMMAND_TIMEOUT_MS = 60_000;

/**
 * A PostgreSQL server of a test's own, which the test may stop and start again (a database outage) without
 * touching the server other tests share. Its data directory is a fresh `initdb` in the system's temporary
 * directory, trust authentication on 127.0.0.1 only, fsync off (nothing here needs to survive a power cut).
 */
export class ThrowawayPostgres {
  private running = false;

  private constructor(
    readonly dataDir: string,
    readonly port: number,
    private readonly runAs: { uid: number; gid: number } | undefined,
  ) {}

  static async start(): Promise<ThrowawayPostgres> {
    const dataDir = mkdtempSync(join(tmpdir(), 'throwaway-pg-'));
    const runAs = process.getuid?.() === 0 ? await accountOf(UNPRIVILEGED_USER) : undefined;
    if (runAs) chownSync(dataDir, runAs.uid, runAs.gid);
    const server = new ThrowawayPostgres(dataDir, await freePort(), runAs);
    try {
      await server.pg('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
      await server.startServer();
    } catch (error) {
      rmSync(dataDir, { recursive: true, force: true });
      throw error;
    }
    return server;
  }

  /** postgres://postgres@127.0.0.1:<port>/<database> */
  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** A new empty database on this server, in the shape the test app takes. Dropped with the server. */
  async createDatabase(poolSize = 5): Promise<TestDatabase> {
    const name = 'test_outage';
    const client = new Client({ connectionString: this.url(), connectionTimeoutMillis: 10_000 });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE "${name}"`);
    } finally {
      await client.end();
    }
    return { connection: { url: this.url(name), poolSize }, drop: () => Promise.resolve() };
  }

  /** Starts the server again on the same port and data (after `stop`). Returns once it accepts connections. */
  async startServer(): Promise<void> {
    await this.pg('pg_ctl', [
      'start',
      '-D',
      this.dataDir,
      '-w',
      '-t',
      '30',
      '-l',
      join(this.dataDir, 'server.log'),
      '-o',
      `-p ${this.port} -k ${this.dataDir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`,
    ]);
    this.running = true;
  }

  /**
   * Stops the server as an operator's restart does (`pg_ctl stop -m fast`): open sessions are terminated with
   * 57P01, transactions in progress roll back, new connections are refused until `startServer`.
   */
  async stop(): Promise<void> {
    if (!this.running) return;
    await this.pg('pg_ctl', ['stop', '-D', this.dataDir, '-m', 'fast', '-w', '-t', '30']);
    this.running = false;
  }

  /** Stops the server and deletes its data. */
  async destroy(): Promise<void> {
    try {
      await this.stop();
    } finally {
      rmSync(this.dataDir, { recursive: true, force: true });
    }
  }

  private async pg(command: string, args: string[]): Promise<void> {
    const binary = join(PG_BIN_DIR, command);
    const [file, argv] = this.runAs
      ? [
          'setpriv',
          [`--reuid=${this.runAs.uid}`, `--regid=${this.runAs.gid}`, '--clear-groups', binary, ...args],
        ]
      : [binary, args];
    try {
      await run(file, argv, { timeout: COMMAND_TIMEOUT_MS, cwd: tmpdir() });
    } catch (error) {
      const { stderr, stdout } = error as { stderr?: string; stdout?: string };
      throw new Error(
        `${command} ${args[0]} failed: ${(error as Error).message}\n${stdout ?? ''}${stderr ?? ''}`,
        { cause: error },
      );
    }
  }
}

async function accountOf(user: string): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', user]), run('id', ['-g', user])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}
