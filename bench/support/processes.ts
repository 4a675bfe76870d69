import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  /** Proportional set size summed over the process and all its descendants (shared pages split among sharers). */
  pssBytes: number;
  /** The root process's own PSS; the rest of pssBytes is its descendants' (e.g. the embedded PostgreSQL). */
  rootPssBytes: number;
  /** RSS summed over the tree: counts shared pages once per process, so more than the memory used. */
  rssBytes: number;
  /** User + system CPU of the tree: live processes' own, and their waited-for children's (exited backends). */
  cpuSeconds: number;
  /** Processes in the tree at this sample. */
  processes: number;
}

const CLOCK_TICKS = 100;

interface StatLine {
  ppid: number;
  /** utime + stime + cutime + cstime, in clock ticks. */
  cpuTicks: number;
}

/** /proc/<pid>/stat, past the command name (which may hold spaces and parentheses). */
function readStat(pid: number): StatLine | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 of proc(5) (state): ppid is field 4, utime..cstime fields 14-17.
    const ticks = fields.slice(11, 15).reduce((sum, value) => sum + Number(value), 0);
    return { ppid: Number(fields[1]), cpuTicks: ticks };
  } catch {
    return null; // exited meanwhile
  }
}

/**
 * `root` and every process below it, found by the parent pid of every process on the machine (/proc/<pid>/stat):
 * children started as another OS user (the embedded PostgreSQL runs as `postgres` when the service is root) and
 * in sessions of their own (its watchdog is detached) are found the same way. Orphans re-parented to init are not.
 */
export function processTree(root: number): Map<number, StatLine> {
  const stats = new Map<number, StatLine>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) stats.set(Number(entry), stat);
  }
  const children = new Map<number, number[]>();
  for (const [pid, { ppid }] of stats) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const tree = new Map<number, StatLine>();
  const queue = stats.has(root) ? [root] : [];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    tree.set(pid, stats.get(pid)!);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** Pss and Rss of one process in bytes, from /proc/<pid>/smaps_rollup (Linux 4.14+); null once it has exited. */
export function memoryOfProcess(pid: number): { pssBytes: number; rssBytes: number } | null {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0);
    return { pssBytes: kib('Pss') * 1024, rssBytes: kib('Rss') * 1024 };
  } catch {
    return null;
  }
}

/** Memory and CPU of a process tree (see processTree): null when the root has exited. */
export function sampleTree(root: number): ProcessSample | null {
  const tree = processTree(root);
  if (!tree.has(root)) return null;
  const sample: ProcessSample = {
    at: Date.now(),
    pssBytes: 0,
    rootPssBytes: 0,
    rssBytes: 0,
    cpuSeconds: 0,
    processes: 0,
  };
  for (const [pid, stat] of tree) {
    const memory = memoryOfProcess(pid);
    if (!memory) continue;
    sample.pssBytes += memory.pssBytes;
    sample.rssBytes += memory.rssBytes;
    if (pid === root) sample.rootPssBytes = memory.pssBytes;
    sample.cpuSeconds += stat.cpuTicks / CLOCK_TICKS;
    sample.processes++;
  }
  return sample;
}

/** Samples a process tree every `intervalMs` until stopped. */
export function startSampler(pid: number, intervalMs = 500): { samples: ProcessSample[]; stop(): void } {
  const samples: ProcessSample[] = [];
  const take = () => {
    const sample = sampleTree(pid);
    if (sample) samples.push(sample);
  };
  take();
  const timer = setInterval(take, intervalMs);
  return { samples, stop: () => clearInterval(timer) };
}
