import { afterAll, beforeAll } from 'vitest';
import { Simulator, SimulatorOptions, startSimulator } from '../../simulator/simulator';
import { Clock } from '../../src/common/clock';
import { DatabaseConnection } from '../../src/database/data-source-options';
import { restartTestApp, startTestApp, TestApp } from './test-app';
import { createTestDatabase, TestDatabase } from './test-database';

export interface UseTestAppOptions {
  /** A DingTalk simulator for the file, the application pointed at it; an object: its options (but the clock). */
  simulator?: boolean | Omit<SimulatorOptions, 'clock'>;
  /** One clock for the application and the simulator, so that both agree on what time it is. */
  clock?: Clock;
  /** Configuration on top of the simulator's `env`; a function is given the started simulator. */
  env?: Record<string, string> | ((sim: Simulator) => Record<string, string>);
  /** The database's connection settings on top of the file's own, e.g. a small pool: `{ poolSize: 1 }`. */
  connection?: Partial<DatabaseConnection>;
  /**
   * Where the file's database comes from (default: a fresh one, test-database.ts: a copy of the migrated template on
   * the embedded server, or a new database on TEST_DATABASE_URL). Dropped after the file either way.
   */
  database?: () => Promise<TestDatabase>;
  /** INSTANCE_IDs of several instances of the service on the one database (`apps`); default: one application. */
  instances?: readonly string[];
}

export interface TestKit {
  /** The application (the first instance): a handle valid in the file's tests and hooks, also after `restart`. */
  t: TestApp;
  /** One handle per INSTANCE_ID of `instances`. */
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
 * Starts what a test file talks to, once for the file (beforeAll) and stops it after (afterAll): the simulator when
 * asked, a database of the file's own, and the application on both. The handles it returns stand for what starts
 * later: read them inside tests and hooks, not at the top of the file.
 */
export function useTestApp(options: UseTestAppOptions = {}): TestKit {
  const simulator = options.simulator
    ? useSimulator({ ...(options.simulator === true ? {} : options.simulator), clock: options.clock })
    : undefined;
  let database: TestDatabase | undefined;
  const apps: Array<TestApp | undefined> = [];
  const instances = options.instances ?? [undefined];

  const appOptions = (instance: string | undefined) => ({
    clock: options.clock,
    database: options.connection
      ? { ...database!, connection: { ...database!.connection, ...options.connection } }
      : database!,
    env: {
      ...simulator?.env,
      ...(typeof options.env === 'function' ? options.env(simulator!) : options.env),
      ...(instance === undefined ? {} : { INSTANCE_ID: instance }),
    },
  });

  beforeAll(async () => {
    database = await (options.database ?? createTestDatabase)();
    for (const instance of instances) apps.push(closedOnce(await startTestApp(appOptions(instance))));
  });
  afterAll(async () => {
    for (const app of apps.reverse()) await app?.close();
    apps.length = 0;
    await database?.drop();
  });

  const handles = instances.map((_, index) => handle<TestApp>('the application', () => apps[index]));
  return {
    t: handles[0],
    apps: handles,
    sim: simulator ?? handle<Simulator>('the simulator (useTestApp({ simulator: true }))', () => undefined),
    database: handle('the database', () => database),
    async restart() {
      await apps[0]?.close();
      apps[0] = undefined;
      apps[0] = closedOnce(await restartTestApp(appOptions(instances[0])));
    },
  };
}

/** A test may close the application itself (to restart it, or to see what a shutdown does); the kit closes it once. */
function closedOnce(app: TestApp): TestApp {
  let closing: Promise<void> | undefined;
  const close = app.close.bind(app);
  return { ...app, close: () => (closing ??= close()) };
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
  return handle('the simulator', () => sim);
}

/** Stands for what `current` returns when used: the thing is started by a hook, after the file has been read. */
function handle<T extends object>(name: string, current: () => T | undefined): T {
  const target = (): T => {
    const value = current();
    if (!value) throw new Error(`useTestApp: ${name} is not running (used outside a test or hook?)`);
    return value;
  };
  return new Proxy({} as T, {
    get(_, key) {
      const value: unknown = Reflect.get(target(), key);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target()) : value;
    },
    has: (_, key) => Reflect.has(target(), key),
  });
}
