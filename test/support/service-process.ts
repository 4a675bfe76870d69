import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ROOT_DIR } from './paths';
import { waitFor } from './wait-for';

/** The service as a user runs it (src/main.ts in its own process), so that a test can kill it for real. */
export interface ServiceProcess {
  url: string;
  output(): string;
  /** SIGKILL: no shutdown hook runs, in-flight work is simply gone. */
  kill(): Promise<void>;
  /** SIGTERM, and wait for the exit. */
  stop(): Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startServiceProcess(
  env: Record<string, string>,
  port: number,
  /** How long to wait for /health: the reliability suite starts instances while others are busy. */
  startTimeoutMs = 120_000,
): Promise<ServiceProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['-r', join(ROOT_DIR, 'scripts/ts-register.js'), join(ROOT_DIR, 'src/main.ts')],
    {
      cwd: ROOT_DIR,
      env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`the service exited: ${output}`);
        const response = await fetch(`${url}/health`).catch(() => null);
        return response?.status === 200;
      },
      'the service to answer /health',
      startTimeoutMs,
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    output: () => output,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
