import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DataDirLock, lockDataDir } from './data-dir-lock';

export interface EmbeddedDatabase {
  /** A postgres:// URL on 127.0.0.1 for TypeORM's `pg` driver. */
  readonly url: string;
  /** True when this start created the database directory (PGlite ran initdb). */
  readonly created: boolean;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/**
 * Starts PGlite on `directory` in a worker thread behind a PostgreSQL-protocol socket, after locking `lockDir`
 * against other processes. PGlite has one session, so it accepts one client connection: the pool must be 1.
 */
export async function startEmbeddedDatabase(directory: string, lockDir: string): Promise<EmbeddedDatabase> {
  const lock = lockDataDir(lockDir);
  const created = !existsSync(join(directory, 'PG_VERSION'));
  let worker: Worker;
  try {
    if (created) await initializeDirectory(directory);
    worker = new Worker(WORKER_SCRIPT, { workerData: { directory, maxConnections: 1 } });
  } catch (error) {
    lock.release();
    throw error;
  }
  try {
    const port = await waitForReady(worker);
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      created,
      stop: () => stopWorker(worker, lock),
    };
  } catch (error) {
    await worker.terminate();
    lock.release();
    throw error;
  }
}

const WORKER_SCRIPT = join(__dirname, 'pglite-worker.js');

/** initdb in a thread of its own, which exits afterwards: its memory is not kept by the serving thread. */
async function initializeDirectory(directory: string): Promise<void> {
  const worker = new Worker(WORKER_SCRIPT, { workerData: { directory, initOnly: true } });
  try {
    await waitFor(worker, 'initialized');
  } finally {
    await worker.terminate();
  }
}

function waitForReady(worker: Worker): Promise<number> {
  return waitFor(worker, 'ready').then((message) => message.port!);
}

function waitFor(worker: Worker, type: 'ready' | 'initialized'): Promise<{ port?: number }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('The embedded database did not start within 60 s')),
      START_TIMEOUT_MS,
    );
    const settle = (fn: () => void) => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      fn();
    };
    const onMessage = (message: { type: string; port?: number; message?: string }) => {
      if (message.type === type) settle(() => resolve(message));
      if (message.type === 'error')
        settle(() => reject(new Error(`The embedded database failed to start: ${message.message}`)));
    };
    const onError = (error: Error) => settle(() => reject(error));
    const onExit = (code: number) =>
      settle(() => reject(new Error(`The embedded database exited with code ${code}`)));
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

async function stopWorker(worker: Worker, lock: DataDirLock): Promise<void> {
  try {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, STOP_TIMEOUT_MS);
      worker.on('message', (message: { type: string }) => {
        if (message.type === 'stopped' || message.type === 'error') {
          clearTimeout(timer);
          resolve();
        }
      });
      worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      worker.postMessage({ type: 'stop' });
    });
    await worker.terminate();
  } finally {
    lock.release();
  }
}
