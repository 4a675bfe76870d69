import { describe, expect, it } from 'vitest';
import { RATE_WINDOW_MS } from '../rate-window';
import {
  allotSends,
  appWindowsOf,
  DueBot,
  RECHECK_MS,
  SendingBot,
  triageDueBots,
  weightedFreeAt,
} from './claim-plan';
import { RobotWindow } from './rate-window.repository';

const NOW = Date.UTC(2026, 11, 1, 8, 0, 0);
const MARGIN = 2_000;

function dueBot(botId: number, fields: Partial<DueBot> = {}): DueBot {
  return {
    bot_id: botId,
    calls: 1,
    group_send: false,
    recipients: 0,
    rate_limited_until: null,
    robot_key: `robot:${botId}`,
    app_key: null,
    app_paused_until: null,
    db_now: NOW,
    enabled: true,
    rate_limit: 20,
    version: '2026-12-01 08:00:00+00',
    head_id: String(botId * 100),
    earliest_due: new Date(NOW - 1_000),
    moved: false,
    store_id: 1,
    fresh_backlog: 1,
    ...fields,
  };
}

const sending = (botId: number, fields: Partial<DueBot> = {}) => dueBot(botId, fields) as SendingBot;
const robot = (key: string, fields: Partial<RobotWindow> = {}): [string, RobotWindow] => [
  key,
  { robot_key: key, recent_sends: [], paused_until: null, ...fields },
];

describe('triageDueBots', () => {
  it('skips what waits for a disabled or deleted bot, and leaves the bot without a due moment', () => {
    const { changes, undeliverable, candidates } = triageDueBots(
      [dueBot(1, { enabled: false }), dueBot(2, { rate_limit: null, version: null, store_id: null })],
      NOW,
    );
    expect(undeliverable).toEqual([1, 2]);
    expect(changes).toEqual([
      { botId: 1, nextDueAt: null, leaseId: null },
      { botId: 2, nextDueAt: null, leaseId: null },
    ]);
    expect(candidates).toEqual([]);
  });

  it('skips what a moved bot waits for of its old store, and still sends what is of its new one', () => {
    const { undeliverable, candidates } = triageDueBots([dueBot(3, { moved: true })], NOW);
    expect(undeliverable).toEqual([3]);
    expect(candidates.map((bot) => bot.bot_id)).toEqual([3]);
  });

  it('makes a bot with nothing in turn due when its earliest notification is, and a paused one after its pause', () => {
    const earliest = new Date(NOW + 30_000);
    const { changes, candidates } = triageDueBots(
      [
        dueBot(4, { head_id: null, earliest_due: earliest }),
        dueBot(5, { rate_limited_until: new Date(NOW + 60_000) }),
        dueBot(6, { app_paused_until: new Date(NOW + 90_000), db_now: NOW }),
      ],
      NOW,
    );
    expect(candidates).toEqual([]);
    expect(changes).toEqual([
      { botId: 4, nextDueAt: earliest, leaseId: null },
      { botId: 5, nextDueAt: new Date(NOW + 60_000), leaseId: null },
      { botId: 6, nextDueAt: new Date(NOW + 90_000), leaseId: null },
    ]);
  });
});

describe('allotSends', () => {
  const app = { callsPerSecond: 20, recipientsPerMinute: 5_000 };
  const limits = { now: NOW, marginMs: MARGIN, budget: 10, rate: 10, app };

  it('sends within the window of a robot two bots share, and holds the one that would go over it', () => {
    const shared = { robot_key: 'robot:shared', rate_limit: 2 };
    const earlier = NOW - 30_000;
    const allotment = allotSends(
      [sending(1, shared), sending(2, shared)],
      new Map([robot('robot:shared', { recent_sends: [NOW - RATE_WINDOW_MS - MARGIN - 1, earlier] })]),
      limits,
    );
    expect(allotment.sends).toEqual([{ bot: sending(1, shared), stamp: NOW }]);
    // The send older than the minute and its margin no longer counts; the bot left out waits for the earlier one.
    expect(allotment.windows).toEqual(new Map([['robot:shared', [earlier, NOW]]]));
    expect(allotment.changes).toEqual([
      { botId: 2, nextDueAt: new Date(earlier + RATE_WINDOW_MS + MARGIN + 1), leaseId: null },
    ]);
    expect(allotment.spent).toBe(1);
  });

  it("looks again shortly at a bot whose robot another claim holds, and after a paused robot's pause", () => {
    const allotment = allotSends(
      [sending(1), sending(2)],
      new Map([robot('robot:2', { paused_until: new Date(NOW + 600_000) })]),
      limits,
    );
    expect(allotment.sends).toEqual([]);
    expect(allotment.changes).toEqual([
      { botId: 1, nextDueAt: new Date(NOW + RECHECK_MS), leaseId: null },
      { botId: 2, nextDueAt: new Date(NOW + 600_000), leaseId: null },
    ]);
  });

  it("spends the cluster's budget by the calls a send makes, and has a bot it cannot pay for wait for the refill", () => {
    const allotment = allotSends(
      [sending(1, { calls: 2 }), sending(2, { calls: 2 })],
      new Map([robot('robot:1'), robot('robot:2')]),
      { ...limits, budget: 3, rate: 4 },
    );
    expect(allotment.sends.map((send) => send.bot.bot_id)).toEqual([1]);
    expect(allotment.spent).toBe(2);
    // One call short at 4 a second: 250 ms.
    expect(allotment.changes).toEqual([{ botId: 2, nextDueAt: new Date(NOW + 250), leaseId: null }]);
  });

  // One app for a chain: 300 stores' bots, each with a window of its own group, share the app's.
  describe("an app's windows, shared by all its bots", () => {
    const ofApp = (botId: number, fields: Partial<DueBot>) =>
      sending(botId, { app_key: 'a:chain', robot_key: `s:group${botId}`, ...fields });
    const appRows = (recent: Record<string, number[]> = {}) =>
      ['a:chain|api:group', 'a:chain|api:work', 'a:chain|recipients'].map((key) =>
        robot(key, { recent_sends: recent[key] ?? [] }),
      );

    it('counts a group send in its API a second, and a work notification in its API and its recipients a minute', () => {
      expect(appWindowsOf(ofApp(1, { group_send: true, recipients: 3 }), app)).toEqual([
        { key: 'a:chain|api:group', windowMs: 1_000, limit: 20, weight: 1 },
        { key: 'a:chain|api:work', windowMs: 1_000, limit: 20, weight: 1 },
        { key: 'a:chain|recipients', windowMs: 60_000, limit: 5_000, weight: 3 },
      ]);
      expect(appWindowsOf(sending(2, { group_send: true }), app)).toEqual([]);
    });

    it('holds the send that would take an app API over its calls a second, until the oldest call leaves', () => {
      const bots = [1, 2, 3].map((id) => ofApp(id, { group_send: true }));
      const allotment = allotSends(
        bots,
        new Map([
          ...bots.map((bot) => robot(bot.robot_key)),
          ...appRows({ 'a:chain|api:group': [NOW - 500] }),
        ]),
        { ...limits, app: { ...app, callsPerSecond: 2 } },
      );
      expect(allotment.sends.map((send) => send.bot.bot_id)).toEqual([1]);
      expect(allotment.windows.get('a:chain|api:group')).toEqual([NOW - 500, NOW]);
      expect(allotment.changes).toEqual([
        { botId: 2, nextDueAt: new Date(NOW - 500 + 1_000 + 1), leaseId: null },
        { botId: 3, nextDueAt: new Date(NOW - 500 + 1_000 + 1), leaseId: null },
      ]);
    });

    it('counts each recipient of a work notification in the minute, and lets a send larger than it go alone', () => {
      const allotment = allotSends(
        [ofApp(1, { recipients: 3 }), ofApp(2, { recipients: 3 })],
        new Map([robot('s:group1'), robot('s:group2'), ...appRows({ 'a:chain|recipients': [NOW - 10_000] })]),
        { ...limits, app: { ...app, recipientsPerMinute: 5 } },
      );
      expect(allotment.sends.map((send) => send.bot.bot_id)).toEqual([1]);
      expect(allotment.windows.get('a:chain|recipients')).toEqual([NOW - 10_000, NOW, NOW, NOW]);
      // Two of the four entries must leave for three more: the second oldest's minute ends first.
      expect(allotment.changes).toEqual([{ botId: 2, nextDueAt: new Date(NOW + 60_000 + 1), leaseId: null }]);
      const use = { key: 'k', windowMs: 60_000, limit: 5, weight: 8 };
      expect(weightedFreeAt([], use)).toBeNull();
      expect(weightedFreeAt([NOW - 1], use)).toBe(NOW - 1 + 60_000 + 1);
    });

    it('looks again shortly at a bot whose app window another claim holds', () => {
      const allotment = allotSends([ofApp(1, { group_send: true })], new Map([robot('s:group1')]), limits);
      expect(allotment.sends).toEqual([]);
      expect(allotment.changes).toEqual([{ botId: 1, nextDueAt: new Date(NOW + RECHECK_MS), leaseId: null }]);
    });
  });
});
