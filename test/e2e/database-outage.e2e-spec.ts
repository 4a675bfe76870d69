import { createServer, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Simulator, startSimulator } from '../../simulator/simulator';
import { startTestApp, TestApp } from '../support/test-app';
import { ThrowawayPostgres } from '../support/throwaway-postgres';
import { waitFor } from '../support/wait-for';

const STORES = 4;
/** Reports accepted per store at most: under a robot's 20 a minute, so no digest merges them and each is one message. */
const MAX_REPORTS_PER_STORE = 15;

interface Answer {
  method: string;
  path: string;
  status: number;
  retryAfter: string | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- whatever JSON came back
  body: any;
  /** While the server was stopped (or stopping). */
  duringOutage: boolean;
}

/**
 * The database goes away under traffic: a PostgreSQL server of this test's own is stopped (`pg_ctl stop -m fast`,
 * as an operator's restart) while reports are posted and listed, and started again. While it is away every request
 * that needs it is a 503 with Retry-After in the error envelope, never a 500, and /health says 503; once it is back
 * /health says 200 and requests succeed again. Every report that got a 201 reaches DingTalk exactly once.
 */
describe('a PostgreSQL restart under traffic', () => {
  let pg: ThrowawayPostgres;
  let sim: Simulator;
  let t: TestApp;

  beforeAll(async () => {
    pg = await ThrowawayPostgres.start();
    sim = await startSimulator();
    t = await startTestApp({ database: await pg.createDatabase(), env: { ...sim.env, LOG_LEVEL: 'info' } });
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
    await pg?.destroy();
  });

  it('answers 503 with Retry-After while the database is away, recovers, and loses nothing accepted', async () => {
    const robots: Array<{ token: string }> = [];
    for (let store = 1; store <= STORES; store++) {
      const robot = sim.state.registerRobot();
      robots.push(robot);
      const created = await t.request('POST', '/api/v1/dingtalk-bots', {
        body: {
          name: `outage ${store}`,
          store_id: store,
          webhook: `${sim.url}/robot/send?access_token=${robot.token}`,
          msg_type: 'text',
        },
      });
      expect(created.status, created.text).toBe(201);
    }

    const answers: Answer[] = [];
    const accepted: number[] = [];
    const acceptedPerStore = new Map<number, number>();
    let outage = false;
    let stopTraffic = false;
    let sequence = 0;
    const call = async (method: string, path: string, body?: unknown) => {
      const duringOutage = outage;
      const response = await t.request(method, path, { body });
      const answer = {
        method,
        path,
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        body: response.body,
        duringOutage: duringOutage || outage,
      };
      answers.push(answer);
      return answer;
    };
    const traffic = async () => {
      while (!stopTraffic) {
        const store = [...Array(STORES).keys()]
          .map((i) => i + 1)
          .find((s) => (acceptedPerStore.get(s) ?? 0) < MAX_REPORTS_PER_STORE);
        if (store !== undefined) {
          const n = ++sequence;
          const posted = await call('POST', '/api/v1/menu-reports', {
            store_id: store,
            dish_name: `菜${n}`,
            quantity: 1,
            unit: '份',
          });
          if (posted.status === 201) {
            accepted.push(posted.body.data.id as number);
            acceptedPerStore.set(store, (acceptedPerStore.get(store) ?? 0) + 1);
          }
        }
        await call('GET', '/api/v1/menu-reports?page_size=5');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const clients = [traffic(), traffic()];
    const count = (predicate: (answer: Answer) => boolean) => answers.filter(predicate).length;

    try {
      await waitFor(() => accepted.length >= 6, 'reports accepted before the outage', 30_000);

      outage = true;
      await pg.stop();
      await waitFor(
        () =>
          count((a) => a.method === 'POST' && a.status === 503) >= 3 &&
          count((a) => a.method === 'GET' && a.status === 503) >= 3,
        '503s for posts and lists while the database is away',
        30_000,
      );
      const health = await t.request('GET', '/health', { token: null });
      expect(health.status).toBe(503);
      expect(health.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/);
      expect(health.body).toMatchObject({ status: 'error', db: 'down' });

      // Something that accepts connections and never answers (a frozen server, a half-open proxy): the health
      // check's deadline still gives 503 rather than a hang or a 200, and requests fail with 503 too.
      const silent = await silentListener(pg.port);
      try {
        const frozen = await t.request('GET', '/health', { token: null });
        expect(frozen.status).toBe(503);
        expect(frozen.body).toMatchObject({ status: 'error', db: 'down' });
      } finally {
        await silent.close();
      }

      const acceptedBeforeRestart = accepted.length;
      await pg.startServer();
      outage = false;
      await waitFor(
        async () => (await t.request('GET', '/health', { token: null })).status === 200,
        '/health to answer 200 once the database is back',
        60_000,
      );
      await waitFor(
        () => accepted.length >= acceptedBeforeRestart + 6,
        'reports accepted again after the restart',
        60_000,
      );
    } finally {
      stopTraffic = true;
      await Promise.all(clients);
    }

    // Nothing but success or "try again later"; a 503 only while the database was away.
    const unexpected = answers.filter((a) => ![200, 201, 503].includes(a.status));
    const explain = unexpected.slice(0, 3).map(
      (a) =>
        `${a.method} ${a.path} ${a.status}: ${t.logs
          .text()
          .split('\n')
          .filter((line) => line.includes(String(a.body?.request_id)))
          .join('\n')}`,
    );
    expect(unexpected, explain.join('\n')).toEqual([]);
    const unavailable = answers.filter((a) => a.status === 503);
    for (const answer of unavailable) {
      expect(answer.duringOutage, `${answer.method} ${answer.path}`).toBe(true);
      expect(answer.retryAfter).toMatch(/^[1-9][0-9]*$/);
      expect(answer.body).toEqual({
        code: 503,
        msg: expect.stringMatching(/database/) as string,
        request_id: expect.any(String) as string,
      });
    }

    // Every accepted report reaches its store's robot once.
    const deliveredIds = () =>
      robots.flatMap((robot) =>
        sim.state
          .received({ target: robot.token, accepted: true })
          .map((message) => Number(/报菜编号：#(\d+)/.exec(message.text ?? '')?.[1])),
      );
    await waitFor(
      () => accepted.every((id) => deliveredIds().includes(id)),
      `all ${accepted.length} accepted reports delivered`,
      90_000,
    );
    const delivered = deliveredIds();
    const duplicates = delivered.filter((id, i) => delivered.indexOf(id) !== i);
    expect(duplicates).toEqual([]);
    console.log(
      `database outage: ${answers.length} requests, ${accepted.length} reports accepted and delivered, ` +
        `${unavailable.length} answered 503`,
    );
  }, 240_000);
});

/** Listens on `port` and holds every connection without a byte in reply. */
async function silentListener(port: number): Promise<{ close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
