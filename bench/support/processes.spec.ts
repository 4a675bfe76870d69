import { ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryOfProcess, processTree, sampleTree } from './processes';

const MIB = 1024 * 1024;
/** What each process of the tree below holds in touched, private memory. */
const HELD_MIB = 40;

/**
 * A node process holding HELD_MIB that starts a second one holding as much, in a session of its own and, when the
 * test runs as root, as the user nobody: as the service starts the embedded PostgreSQL. Resolves once both hold it.
 */
function startTree(): Promise<{ root: ChildProcess; grandchild: number }> {
  const hold = `globalThis.held = Buffer.alloc(${HELD_MIB} * 1024 * 1024, 1);`;
  const asNobody = process.getuid?.() === 0 ? '{ uid: 65534, gid: 65534 }' : '{}';
  const script = `
    ${hold}
    const { spawn } = require('node:child_process');
    const child = spawn(process.execPath, ['-e', ${JSON.stringify(`${hold} console.log('held'); setInterval(() => {}, 1000);`)}], {
      ...${asNobody}, detached: true, stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.once('data', () => console.log(child.pid));
    process.on('SIGTERM', () => { child.kill('SIGKILL'); process.exit(0); });
    setInterval(() => {}, 1000);
  `;
  const root = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    root.once('exit', (code) => reject(new Error(`the tree's root exited (${code})`)));
    root.stdout.once('data', (chunk: Buffer) => resolve({ root, grandchild: Number(String(chunk).trim()) }));
  });
}

describe('process tree sampling (memory and CPU of a benchmarked system)', () => {
  let root: ChildProcess | undefined;
  afterEach(() => {
    root?.kill('SIGTERM');
  });

  it('sums the PSS of a process and of a descendant in another session (and user, as root)', async () => {
    const tree = await startTree();
    root = tree.root;

    expect([...processTree(tree.root.pid!).keys()].sort()).toEqual([tree.root.pid, tree.grandchild].sort());
    expect(processTree(process.pid).has(tree.grandchild)).toBe(true);

    const sample = sampleTree(tree.root.pid!)!;
    expect(sample.processes).toBe(2);
    const own = memoryOfProcess(tree.root.pid!)!.pssBytes;
    const descendant = memoryOfProcess(tree.grandchild)!.pssBytes;
    expect(descendant).toBeGreaterThan(HELD_MIB * MIB);
    // Each figure is read at its own moment: a few MiB of drift (the runtime's own allocations) is allowed.
    expect(Math.abs(sample.pssBytes - (own + descendant))).toBeLessThan(8 * MIB);
    expect(Math.abs(sample.rootPssBytes - own)).toBeLessThan(8 * MIB);
    expect(sample.pssBytes - sample.rootPssBytes).toBeGreaterThan(HELD_MIB * MIB);
  });

  it('has no sample for a process that is gone', () => {
    expect(sampleTree(2 ** 22 + 1)).toBeNull();
    expect(memoryOfProcess(2 ** 22 + 1)).toBeNull();
  });
});
