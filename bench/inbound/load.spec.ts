import { describe, expect, it } from 'vitest';
import { analyse, BotMessageOutcome } from './load';
import { readInboundParams } from './params';

const outcome = (overrides: Partial<BotMessageOutcome>): BotMessageOutcome => ({
  msg_id: 'msg',
  conversation_id: 'cid==',
  pushed_at: 1_000,
  deliveries: 1,
  acks: [],
  replies: [],
  ...overrides,
});

describe('inbound benchmark: what became of each message', () => {
  it('times the first ACK and the first accepted reply from the push, and counts what went wrong', () => {
    const { counts, ackMs, replyMs } = analyse([
      outcome({ acks: [{ at: 1_002, code: 200 }], replies: [{ at: 1_010, errcode: 0 }] }),
      // Redelivered (its ACK came late), ACKed once per delivery, answered twice.
      outcome({
        deliveries: 2,
        acks: [
          { at: 1_400, code: 200 },
          { at: 1_090, code: 200 },
        ],
        replies: [
          { at: 1_100, errcode: 0 },
          { at: 1_500, errcode: 0 },
        ],
      }),
      // ACKed twice in one delivery; its reply refused.
      outcome({
        acks: [
          { at: 1_004, code: 200 },
          { at: 1_005, code: 200 },
        ],
        replies: [{ at: 1_020, errcode: 300001 }],
      }),
      outcome({}),
    ]);
    expect(counts).toEqual({
      messages: 4,
      acked: 3,
      doubleAcks: 1,
      redelivered: 1,
      replied: 2,
      refusedReplies: 1,
      doubleReplies: 1,
    });
    expect(ackMs).toEqual({ p50: 4, p99: 90, max: 90 });
    expect(replyMs).toEqual({ p50: 10, p99: 100, max: 100 });
  });

  it('reads its parameters from the environment, with the issue’s figures as defaults', () => {
    const pgUrl = 'postgres://postgres@127.0.0.1:5432/postgres';
    expect(readInboundParams({})).toEqual({
      groups: 300,
      rate: 100,
      duration: 30,
      drain: 60,
      db: 'postgres',
      pgUrl,
    });
    expect(readInboundParams({ GROUPS: '12.7', RATE: '2.5', DURATION: '5', DRAIN: '', DB: 'none' })).toEqual({
      groups: 12,
      rate: 2.5,
      duration: 5,
      drain: 60,
      db: 'none',
      pgUrl,
    });
    expect(() => readInboundParams({ DB: 'mysql' })).toThrow(/DB must be one of/);
    expect(() => readInboundParams({ RATE: '0' })).toThrow(/RATE must be a positive number/);
    expect(() => readInboundParams({ GROUPS: 'many' })).toThrow(/GROUPS must be a positive number/);
  });
});
