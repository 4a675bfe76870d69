import { afterAll, afterEach, beforeAll } from 'vitest';
import { Simulator, SimulatorOptions, startSimulator } from '../../simulator/simulator';
import { Clock } from '../../src/common/clock';
import { DatabaseConnection } from '../../src/database/data-source-options';
import { restartTestApp, startTestApp, TestApp } from './test-app';
import { createTestDatabase, TestDatabase } from './test-database';

export interface UseTestAppOptions {
  /** A DingTalk simulator, the application pointed at it; an object: its options (but the clock). */
  simulator?: boolean | Omit<SimulatorOptions, 'clock'>;
  /** One clock for the application and the simulator, so that both agree on what time it is. */
  clock?: Clock;
  /** Configuration on top of the simulator's `env`; a function is given the started simulator. */
  env?: Record<string, string> | ((sim: Simulator) => Record<string, string>);
  /** The database's connection settings on top of the file's own, e.g. a small pool: `{ poolSize: 1 }`. */
  connection?: Partial<DatabaseConnection>;
  /**
   * Where the database comes from (default: a fresh one, test-database.ts: a copy of the migrated template on the
   * embedded server, or a new database on TEST_DATABASE_URL). Dropped at the end either way.
   */
  database?: () => Promise<TestDatabase>;
  /** INSTANCE_IDs of several instances of the service on the one database (`apps`); default: one application. */
  instances?: readonly string[];
}

export interface TestKit {
  /** The application (the first instance). */
  t: TestApp;
  /** One application per INSTANCE_ID of `instances`. */
  apps: TestApp[];
  sim: Simulator;
  database: TestDatabase;
  /**
   * Closes the application (unless the test did, `t.close()`) and starts it again on the same database, as a
   * supervisor restarts the process.
   */
  restart(): Promise<void>;
}

/**
 * Starts what a test file talks to, once for the file (beforeAll), and stops it after (afterAll): the simulator when
 * asked, a database of the file's own, and the application on both. The handles it returns stand for what starts
 * later: read them inside tests and hooks, not at the top of the file; `t` stays valid across `restart`.
 */
export function useTestApp(options: UseTestAppOptions = {}): TestKit {
  let kit: TestKit | undefined;
  beforeAll(async () => {
    kit = await startTestKit(options);
  });
  afterAll(async () => {
    await closeTestKit(kit);
    kit = undefined;
  });
  const current = (): TestKit => {
    if (!kit) throw new Error('useTestApp: nothing is running (used outside a test or hook of the file?)');
    return kit;
  };
  return {
    t: handle(() => current().t),
    apps: (options.instances ?? [undefined]).map((_, index) => handle(() => current().apps[index])),
    sim: handle(() => {
      if (!options.simulator) throw new Error('useTestApp: no simulator was asked for ({ simulator: true })');
      return current().sim;
    }),
    database: handle(() => current().database),
    restart: () => current().restart(),
  };
}

/**
 * For a file whose tests each need their own (another configuration, another clock): `start` inside the test, and
 * what it started is closed after that test.
 */
export function useTestAppPerTest(): (options: UseTestAppOptions) => Promise<TestKit> {
  let kit: TestKit | undefined;
  afterEach(async () => {
    await closeTestKit(kit);
    kit = undefined;
  });
  return async (options) => {
    if (kit) throw new Error('useTestAppPerTest: one start per test');
    kit = await startTestKit(options);
    return kit;
  };
}

/**
 * A DingTalk simulator for the file alone (no application): started in beforeAll, closed in afterAll. The handle
 * stands for it in the file's tests and hooks.
 */
export function useSimulator(options: SimulatorOptions = {}): Simulator {
  let sim: Simulator | undefined;
  beforeAll(async () => {
    sim = await startSimulator(options);
  });
  afterAll(async () => {
    await sim?.close();
    sim = undefined;
  });
  return handle(() => {
    if (!sim) throw new Error('useSimulator: the simulator is not running (used outside a test or hook?)');
    return sim;
  });
}

async function startTestKit(options: UseTestAppOptions): Promise<TestKit> {
  const instances = options.instances ?? [undefined];
  const apps: TestApp[] = [];
  let sim: Simulator | undefined;
  let database: TestDatabase | undefined;
  const appOptions = (instance: string | undefined) => ({
    clock: options.clock,
    database: { ...database!, connection: { ...database!.connection, ...options.connection } },
    env: {
      ...sim?.env,
      ...(typeof options.env === 'function' ? options.env(sim!) : options.env),
      ...(instance === undefined ? {} : { INSTANCE_ID: instance }),
    },
  });
  const kit: TestKit = {
    get t() {
      return apps[0];
    },
    apps,
    get sim() {
      return sim!;
    },
    get database() {
      return database!;
    },
    async restart() {
      await apps[0].close();
      apps[0] = closedOnce(await restartTestApp(appOptions(instances[0])));
    },
  };
  try {
    if (options.simulator) {
      const simulatorOptions = options.simulator === true ? {} : options.simulator;
      sim = await startSimulator({ ...simulatorOptions, clock: options.clock });
    }
    database = await (options.database ?? createTestDatabase)();
    for (const instance of instances) apps.push(closedOnce(await startTestApp(appOptions(instance))));
  } catch (error) {
    await closeTestKit(kit);
    throw error;
  }
  return kit;
}

/** Closes the applications (the last started first), drops the database, closes the simulator. */
async function closeTestKit(kit: TestKit | undefined): Promise<void> {
  if (!kit) return;
  for (const app of [...kit.apps].reverse()) await app.close();
  const database = kit.database as TestDatabase | undefined;
  await database?.drop();
  const sim = kit.sim as Simulator | undefined;
  await sim?.close();
}

/** A test may close the application itself (to restart it, or to see what a shutdown does); it is closed once. */
function closedOnce(app: TestApp): TestApp {
  let closing: Promise<void> | undefined;
  const close = app.close.bind(app);
  return { ...app, close: () => (closing ??= close()) };
}

/** Stands for what `current` returns when used: it is started by a hook, after the file has been read. */
function handle<T extends object>(current: () => T): T {
  return new Proxy({} as T, {
    get(_, key) {
      const target = current();
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
    has: (_, key) => Reflect.has(current(), key),
  });
}
