import { cpSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { ROOT_DIR } from '../test/support/paths';
import { waitFor } from '../test/support/wait-for';
import { analyse, drain, SimControl, writeMessages } from './inbound/load';
import { readInboundParams } from './inbound/params';
import { InboundResult, renderInboundTable, writeInboundResults } from './inbound/report';
import { chainRegistration } from './inbound/chain';
import { bareWsClient, BenchGroup, InboundSystem, RunningSystem, serviceSystem } from './inbound/systems';
import {
  Child,
  compileScripts,
  ProcessSample,
  startListeningScript,
  startSampler,
} from './support/processes';

/**
 * inbound: a lunchtime burst on one Stream connection (issue 23). One DingTalk app for the whole chain, its robot in
 * `groups` store groups; `rate` messages a second written into them round-robin for `duration` seconds (报菜 …, each
 * from one of the group's staff), all pushed over the app's one connection by the simulator, which runs as a process
 * of its own and times everything on its clock: each push, its ACK, and the reply through the message's
 * `sessionWebhook`. Per system, with a fresh simulator: ACK and reply p50/p99/max, whether every message was ACKed
 * and answered (once), connections opened, CPU of the system and of the simulator, the system's PSS. Prints a table
 * and writes bench/results/<date>-inbound-<groups>x<rate>x<duration>.json. Fails when a message went unanswered.
 *
 * Systems (SYSTEMS below): `ws-baseline` (bench/inbound/ws-baseline.ts), a bare `ws` client that connects like the
 * service, ACKs each push and replies through the session webhook; and the service on each database of `--db`
 * (`serviceSystem`, bench/inbound/systems.ts): built, started against the simulator, told about the chain through
 * the API as a new user would (bench/inbound/chain.ts: the app once, one stream bot per store and group), and checked
 * to have made exactly one report per message.
 *
 * Reproduce: `npm run bench -- inbound [--groups 300] [--rate 100] [--duration 30] [--drain 60]
 * [--db postgres|embedded|both|none] [--pg-url …]` (or GROUPS, RATE, DURATION, DRAIN, DB, PG_URL). Runs alone on the
 * machine.
 */
const params = readInboundParams(process.env);
const SCRIPTS = join(ROOT_DIR, '.tmp', 'bench', 'js');
const TMP = join(ROOT_DIR, '.tmp', 'bench');
const SERVICE_DATABASES = {
  postgres: ['postgres'],
  embedded: ['embedded'],
  both: ['postgres', 'embedded'],
  none: [],
} as const;
const SYSTEMS: InboundSystem[] = [
  bareWsClient,
  ...SERVICE_DATABASES[params.db].map((kind) =>
    serviceSystem(chainRegistration, { kind, pgUrl: params.pgUrl }),
  ),
];
const SYSTEM_TIMEOUT_MS = (120 + params.duration + params.drain + 60) * 1000;

const results: InboundResult[] = [];
const startedAt = new Date();

/** The simulator's sources (tests left out) and the two programs of this benchmark, compiled to run as processes. */
function compile(): void {
  const simulatorFiles = readdirSync(join(ROOT_DIR, 'simulator'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'))
    .map((file) => join('simulator', file));
  compileScripts(
    ROOT_DIR,
    [...simulatorFiles, 'bench/inbound/simulator-process.ts', 'bench/inbound/ws-baseline.ts'],
    SCRIPTS,
  );
  // The simulator reads the repository's card templates beside its own files (simulator/cards/repo-card-templates.ts).
  cpSync(join(ROOT_DIR, 'docs', 'dingtalk', 'cards'), join(SCRIPTS, 'docs', 'dingtalk', 'cards'), {
    recursive: true,
  });
}

/** CPU seconds a sampled process tree used between its first and last sample. */
const cpuOf = (samples: ProcessSample[]) => (samples.at(-1)?.cpuSeconds ?? 0) - (samples[0]?.cpuSeconds ?? 0);

async function chainOnSimulator(control: SimControl) {
  const app = await control.expect<{ client_id: string; client_secret: string; agent_id: string }>(
    'POST',
    '/_sim/apps',
    201,
    {},
  );
  const created = await control.expect<
    Array<{ open_conversation_id: string; title: string; members: string[] }>
  >('POST', `/_sim/apps/${app.client_id}/groups`, 201, {
    groups: Array.from({ length: params.groups }, (_, i) => ({
      title: `${i + 1}号店后厨`,
      members: [`cook${i + 1}a`, `cook${i + 1}b`, `chef${i + 1}`],
    })),
  });
  const groups: BenchGroup[] = created.map((group) => ({
    openConversationId: group.open_conversation_id,
    title: group.title,
    members: group.members,
  }));
  return { app: { clientId: app.client_id, clientSecret: app.client_secret, agentId: app.agent_id }, groups };
}

async function measure(system: InboundSystem): Promise<InboundResult> {
  const result: InboundResult = { name: system.name };
  let simulator: { child: Child; url: string } | undefined;
  let control: SimControl | undefined;
  let running: RunningSystem | undefined;
  const samplers: Array<ReturnType<typeof startSampler>> = [];
  try {
    simulator = await startListeningScript(
      'simulator',
      join(SCRIPTS, 'bench', 'inbound', 'simulator-process.js'),
      {},
      ROOT_DIR,
    );
    control = new SimControl(simulator.url);
    const { app, groups } = await chainOnSimulator(control);
    running = await system.start({
      simUrl: simulator.url,
      app,
      groups,
      rootDir: ROOT_DIR,
      scriptsDir: SCRIPTS,
      tmpDir: TMP,
    });
    const connections = () =>
      control!.expect<unknown[]>('GET', `/_sim/stream/connections?client_id=${app.clientId}`, 200);
    await waitFor(
      async () => (await connections()).length > 0,
      `${system.name}'s Stream connection`,
      120_000,
    );

    const simulatorSampler = startSampler(simulator.child.pid);
    const systemSampler = startSampler(running.child.pid);
    samplers.push(simulatorSampler, systemSampler);
    result.load = await writeMessages(control, app.clientId, groups, params.rate, params.duration);
    const drained = await drain(control, app.clientId, params.drain);
    for (const sampler of samplers) sampler.stop();

    Object.assign(result, analyse(drained.outcomes));
    result.drained = drained.complete;
    result.connectionsOpened = (
      await control.expect<unknown[]>('GET', `/_sim/stream/opens?client_id=${app.clientId}`, 200)
    ).length;
    result.liveConnections = (await connections()).length;
    result.simulatorCpuS = cpuOf(simulatorSampler.samples);
    result.systemCpuS = cpuOf(systemSampler.samples);
    result.systemPeakPssMiB =
      Math.max(0, ...systemSampler.samples.map((sample) => sample.pssBytes)) / 1024 / 1024;
    const groupIndex = new Map(groups.map((group, i) => [group.openConversationId, i]));
    const messagesByGroup = new Array<number>(groups.length).fill(0);
    for (const outcome of drained.outcomes) {
      const i = groupIndex.get(outcome.conversation_id);
      if (i !== undefined) messagesByGroup[i]++;
    }
    result.extra = await running.counts?.(messagesByGroup);
  } catch (error) {
    result.error = (error as Error).message.split('\n').slice(0, 20).join('\n');
    for (const child of [running?.child, simulator?.child]) {
      if (child)
        result.error += `\n--- ${child.name} output (last 2000 characters) ---\n${child.output().slice(-2000)}`;
    }
  } finally {
    for (const sampler of samplers) sampler.stop();
    await running?.close();
    await control?.close();
    await simulator?.child.stop();
  }
  return result;
}

/** What a run must show beyond its figures: every message written, ACKed and answered, over one connection. */
function shortfalls(result: InboundResult): string[] {
  const expected = Math.round(params.rate * params.duration);
  const counts = result.counts;
  const problems = [
    result.load?.written !== expected && `${result.load?.written ?? 0} of ${expected} messages written`,
    counts && counts.acked < counts.messages && `${counts.messages - counts.acked} messages never ACKed`,
    counts &&
      counts.replied < counts.messages &&
      `${counts.messages - counts.replied} messages never answered`,
    counts && counts.doubleReplies > 0 && `${counts.doubleReplies} messages answered more than once`,
    result.connectionsOpened !== 1 && `${result.connectionsOpened ?? 0} connections opened, not 1`,
    // A system that creates reports (the service) must create exactly one per message, in the group's store.
    result.extra?.reports_created !== undefined &&
      result.extra.reports_created !== counts?.messages &&
      `${result.extra.reports_created} reports created for ${counts?.messages ?? 0} messages`,
    (result.extra?.stores_with_wrong_report_count ?? 0) > 0 &&
      `${result.extra?.stores_with_wrong_report_count} stores have a report count other than their group's messages`,
  ];
  return problems.filter((problem): problem is string => typeof problem === 'string');
}

describe(`inbound: ${params.groups} groups, ${params.rate}/s for ${params.duration} s`, () => {
  beforeAll(() => compile());

  afterAll(() => {
    if (results.length === 0) return;
    const table = renderInboundTable(params, results);
    const file = writeInboundResults(ROOT_DIR, params, results, startedAt, table);
    process.stdout.write(`${table}results: ${file}\n\n`);
  });

  for (const system of SYSTEMS) {
    it(
      system.name,
      async () => {
        const result = await measure(system);
        results.push(result);
        if (result.error) throw new Error(`${result.name}: ${result.error}`);
        const problems = shortfalls(result);
        if (problems.length > 0) throw new Error(`${result.name}: ${problems.join('; ')}`);
      },
      SYSTEM_TIMEOUT_MS,
    );
  }
});
