import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { transformFileSync } from '@swc/core';

/** Every child a benchmark starts, killed for sure when the benchmark's process exits however it exits. */
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

export interface Child {
  name: string;
  pid: number;
  output(): string;
  running(): boolean;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Compiles a benchmark's helper programs (TypeScript files, relative to `rootDir`, with every local file they
 * import) to plain JavaScript under `outDir`, keeping their relative layout, so that they run as bare `node`
 * processes: no TypeScript loader in their memory or CPU.
 */
export function compileScripts(rootDir: string, files: string[], outDir: string): void {
  for (const file of files) {
    const { code } = transformFileSync(join(rootDir, file), {
      module: { type: 'commonjs' },
      jsc: { target: 'es2023', parser: { syntax: 'typescript' } },
    });
    const target = join(outDir, file.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, code);
  }
}

/**
 * `--profile DIR`: Node's flags that write a V8 CPU profile of a benchmarked process when it stops, named after it
 * (`service-postgres.<time>.cpuprofile`, `relay.<time>.cpuprofile`), so that the service's profile can be read
 * beside the bare relay's of the same run (bench/support/profile-summary.js).
 */
export function profileArgs(name: string): string[] {
  const dir = process.env.PROFILE;
  if (!dir) return [];
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}.${Date.now()}.cpuprofile`];
}

export function startChild(
  name: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
): { child: Child; lines: (predicate: (line: string) => boolean, timeoutMs: number) => Promise<string> } {
  const proc = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(proc);
  let output = '';
  const listeners = new Set<(line: string) => void>();
  let partial = '';
  const onData = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    if (output.length < 1_000_000) output += text;
    partial += text;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) for (const listener of listeners) listener(line);
  };
  proc.stdout.on('data', onData);
  proc.stderr.on('data', onData);
  const exited = new Promise<void>((resolve) =>
    proc.once('exit', () => {
      children.delete(proc);
      resolve();
    }),
  );
  const child: Child = {
    name,
    pid: proc.pid!,
    output: () => output,
    running: () => proc.exitCode === null && proc.signalCode === null,
    async stop(graceMs = 15_000) {
      if (!child.running()) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  const lines = (predicate: (line: string) => boolean, timeoutMs: number) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => finish(new Error(`${name}: no expected output within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const onExit = () => finish(new Error(`${name} exited: ${output.slice(-2000)}`));
      const listener = (line: string) => {
        if (predicate(line)) finish(null, line);
      };
      function finish(error: Error | null, line?: string) {
        clearTimeout(timer);
        listeners.delete(listener);
        proc.off('exit', onExit);
        if (error) reject(error);
        else resolve(line!);
      }
      listeners.add(listener);
      proc.once('exit', onExit);
    });
  return { child, lines };
}

/** Starts a compiled helper program that prints `LISTENING <port>` once it serves on 127.0.0.1. */
export async function startListeningScript(
  name: string,
  script: string,
  env: Record<string, string>,
  cwd: string,
  nodeArgs: string[] = [],
): Promise<{ child: Child; url: string }> {
  const { child, lines } = startChild(name, [...nodeArgs, script], env, cwd);
  try {
    const line = await lines((text) => text.startsWith('LISTENING '), 60_000);
    return { child, url: `http://127.0.0.1:${line.split(' ')[1]}` };
  } catch (error) {
    await child.stop(0);
    throw error;
  }
}

export interface ProcessSample {
  at: number;
  rssBytes: number;
  cpuSeconds: number;
}

const CLOCK_TICKS = 100;

/** VmRSS and user+system CPU time of a process, from /proc (Linux). */
export function sampleProcess(pid: number): ProcessSample | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /VmRSS:\s+(\d+) kB/.exec(status);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuTicks = Number(fields[11]) + Number(fields[12]);
    return { at: Date.now(), rssBytes: rss ? Number(rss[1]) * 1024 : 0, cpuSeconds: cpuTicks / CLOCK_TICKS };
  } catch {
    return null;
  }
}

/** Samples a process every `intervalMs` until stopped. */
export function startSampler(pid: number, intervalMs = 500): { samples: ProcessSample[]; stop(): void } {
  const samples: ProcessSample[] = [];
  const take = () => {
    const sample = sampleProcess(pid);
    if (sample) samples.push(sample);
  };
  take();
  const timer = setInterval(take, intervalMs);
  return { samples, stop: () => clearInterval(timer) };
}
