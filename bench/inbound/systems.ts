import { join } from 'node:path';
import { buildService, startService } from '../delivery/systems';
import { Child, startChild } from '../support/processes';

/** One store's kitchen group, the chain app's robot in it. */
export interface BenchGroup {
  openConversationId: string;
  title: string;
  /** Staff userids; the load writes as each in turn. */
  members: string[];
}

/** What a system under test is given: the simulator, the chain's one app and the groups its robot is in. */
export interface InboundSetup {
  simUrl: string;
  app: { clientId: string; clientSecret: string; agentId: string };
  groups: BenchGroup[];
  rootDir: string;
  /** The benchmark's compiled helper programs (bench/support/processes.ts compileScripts). */
  scriptsDir: string;
  /** Where a system may keep files for the run (data directories). */
  tmpDir: string;
}

/** A system, started: the process the benchmark samples, extra counts for the results, and how to stop it. */
export interface RunningSystem {
  child: Child;
  /** Counts only this system can give (e.g. the service's reports), added to its results. */
  /** `messagesByGroup`: messages written into each group of `InboundSetup.groups`, as the simulator counted them. */
  counts?(messagesByGroup: number[]): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/**
 * A system the benchmark measures. `start` returns once the system has been told about the app and its groups; the
 * benchmark then waits for the app's Stream connection itself.
 */
export interface InboundSystem {
  name: string;
  start(setup: InboundSetup): Promise<RunningSystem>;
}

/** The baseline: a bare `ws` client that connects like the service, ACKs each push and replies (ws-baseline.ts). */
export const bareWsClient: InboundSystem = {
  name: 'ws-baseline',
  async start(setup) {
    const { child, lines } = startChild(
      'ws-baseline',
      [join(setup.scriptsDir, 'bench', 'inbound', 'ws-baseline.js')],
      {
        SIM_URL: setup.simUrl,
        CLIENT_ID: setup.app.clientId,
        CLIENT_SECRET: setup.app.clientSecret,
      },
      setup.rootDir,
    );
    try {
      await lines((line) => line === 'CONNECTED', 30_000);
    } catch (error) {
      await child.stop(0);
      throw error;
    }
    return { child, close: () => child.stop() };
  },
};

/** The service's API as a benchmark reaches it: its URL and an admin's bearer token. */
export interface ServiceApi {
  url: string;
  token: string;
}

/**
 * What the service needs to be told to serve the chain: the app once, and one stream bot per group (its store, its
 * `open_conversation_id`) through the API; and how many reports it created in each group's store, to check that each
 * message made exactly one, in the store whose group it was written in (bench/inbound/chain.ts).
 */
export interface ChainRegistration {
  register(service: ServiceApi, setup: InboundSetup): Promise<void>;
  /** Reports created per group's store, in the order of `InboundSetup.groups`. */
  reportsByGroup(service: ServiceApi, groups: number): Promise<number[]>;
}

/**
 * The service as a system under test: built, started as its own process on a fresh database and pointed at the
 * simulator (bench/delivery/systems.ts startService), then told about the chain by `chain`.
 */
export function serviceSystem(
  chain: ChainRegistration,
  database: { kind: 'postgres' | 'embedded'; pgUrl: string },
): InboundSystem {
  return {
    name: `service-${database.kind}`,
    async start(setup) {
      const main = await buildService(setup.rootDir);
      const service = await startService(
        main,
        setup.rootDir,
        database.kind,
        database.pgUrl,
        setup.tmpDir,
        setup.simUrl,
      );
      const api = { url: service.url, token: service.token };
      try {
        await chain.register(api, setup);
      } catch (error) {
        await service.close();
        throw error;
      }
      return {
        child: service.child,
        counts: async (messagesByGroup) => {
          const created = await chain.reportsByGroup(api, setup.groups.length);
          return {
            reports_created: created.reduce((sum, count) => sum + count, 0),
            stores_with_wrong_report_count: created.filter((count, i) => count !== messagesByGroup[i]).length,
          };
        },
        close: () => service.close(),
      };
    },
  };
}
