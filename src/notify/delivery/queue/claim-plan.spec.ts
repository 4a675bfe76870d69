import { describe, expect, it } from 'vitest';
import { RATE_WINDOW_MS } from '../rate-window';
import { allotSends, DueBot, RECHECK_MS, SendingBot, triageDueBots } from './claim-plan';
import { RobotWindow } from './rate-window.repository';

const NOW = Date.UTC(2026, 11, 1, 8, 0, 0);
const MARGIN = 2_000;

function dueBot(botId: number, fields: Partial<DueBot> = {}): DueBot {
  return {
    bot_id: botId,
    calls: 1,
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
  const limits = { now: NOW, marginMs: MARGIN, budget: 10, rate: 10 };

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
});
