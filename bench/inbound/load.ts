import { Pool } from 'undici';
import { percentile } from '../delivery/load';
import { BenchGroup } from './systems';

/** A bot message as the simulator reports it (GET /_sim/stream/bot-messages, simulator/stream/stream.routes.ts). */
export interface BotMessageOutcome {
  msg_id: string;
  conversation_id: string;
  pushed_at: number;
  deliveries: number;
  acks: Array<{ at: number; code: number | null }>;
  replies: Array<{ at: number; errcode: number | string }>;
}

/** The simulator's control API, with a deadline on every call. */
export class SimControl {
  private readonly pool: Pool;

  constructor(readonly url: string) {
    this.pool = new Pool(url, { connections: 16 });
  }

  async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await this.pool.request({
      method,
      path,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
    return { status: response.statusCode, body: (await response.body.json()) as T };
  }

  async expect<T>(method: 'GET' | 'POST', path: string, status: number, body?: unknown): Promise<T> {
    const answer = await this.call<T>(method, path, body);
    if (answer.status !== status) {
      throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 500)}`);
    }
    return answer.body;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

export interface LoadResult {
  written: number;
  /** Control calls the simulator refused (e.g. 409: the app had no live connection), by status. */
  refused: Record<string, number>;
  /** How far behind its schedule the latest write went out: the load generator's own lag. */
  maxLagMs: number;
  startedAt: number;
  endedAt: number;
}

/**
 * Writes `rate` messages a second for `durationS` seconds into the groups round-robin, each as the group's next
 * member: an open loop (each write goes out on its schedule, whatever became of the earlier ones).
 */
export async function writeMessages(
  sim: SimControl,
  clientId: string,
  groups: BenchGroup[],
  rate: number,
  durationS: number,
): Promise<LoadResult> {
  const total = Math.round(rate * durationS);
  const result: LoadResult = { written: 0, refused: {}, maxLagMs: 0, startedAt: Date.now(), endedAt: 0 };
  const inFlight: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    result.maxLagMs = Math.max(result.maxLagMs, performance.now() - due);
    const group = groups[i % groups.length];
    const round = Math.floor(i / groups.length);
    inFlight.push(
      sim
        .call('POST', '/_sim/stream/bot-messages', {
          client_id: clientId,
          conversation_type: '2',
          conversation_id: group.openConversationId,
          sender_staff_id: group.members[round % group.members.length],
          text: `报菜 宫保鸡丁 ${(round % 50) + 1} 份`,
        })
        .then(({ status }) => {
          if (status === 201) result.written++;
          else result.refused[status] = (result.refused[status] ?? 0) + 1;
        }),
    );
  }
  await Promise.all(inFlight);
  result.endedAt = Date.now();
  return result;
}

const settled = (outcome: BotMessageOutcome) =>
  outcome.acks.length > 0 && outcome.replies.some((reply) => reply.errcode === 0);

/** Waits until every message written is ACKed and answered, or `drainS` have passed; returns the outcomes. */
export async function drain(
  sim: SimControl,
  clientId: string,
  drainS: number,
): Promise<{ outcomes: BotMessageOutcome[]; complete: boolean }> {
  const deadline = Date.now() + drainS * 1000;
  for (;;) {
    const outcomes = await sim.expect<BotMessageOutcome[]>(
      'GET',
      `/_sim/stream/bot-messages?client_id=${encodeURIComponent(clientId)}`,
      200,
    );
    const complete = outcomes.every(settled);
    if (complete || Date.now() > deadline) return { outcomes, complete };
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export interface Latency {
  p50: number;
  p99: number;
  max: number;
}

function latency(values: number[]): Latency {
  return {
    p50: percentile(values, 0.5),
    p99: percentile(values, 0.99),
    max: values.length === 0 ? NaN : Math.max(...values),
  };
}

export interface InboundCounts {
  messages: number;
  acked: number;
  /** Messages ACKed more than once in one delivery, or redelivered (no ACK in time). */
  doubleAcks: number;
  redelivered: number;
  replied: number;
  /** Replies DingTalk refused (errcode ≠ 0), and messages answered more than once. */
  refusedReplies: number;
  doubleReplies: number;
}

/** ACK and reply latencies (from the push, on the simulator's clock) and the counts that say whether all went. */
export function analyse(outcomes: BotMessageOutcome[]): {
  counts: InboundCounts;
  ackMs: Latency;
  replyMs: Latency;
} {
  const ackMs: number[] = [];
  const replyMs: number[] = [];
  const counts: InboundCounts = {
    messages: outcomes.length,
    acked: 0,
    doubleAcks: 0,
    redelivered: 0,
    replied: 0,
    refusedReplies: 0,
    doubleReplies: 0,
  };
  for (const outcome of outcomes) {
    if (outcome.acks.length > 0) {
      counts.acked++;
      ackMs.push(Math.min(...outcome.acks.map((ack) => ack.at)) - outcome.pushed_at);
    }
    if (outcome.acks.length > outcome.deliveries) counts.doubleAcks++;
    if (outcome.deliveries > 1) counts.redelivered++;
    const accepted = outcome.replies.filter((reply) => reply.errcode === 0);
    counts.refusedReplies += outcome.replies.length - accepted.length;
    if (accepted.length > 0) {
      counts.replied++;
      replyMs.push(Math.min(...accepted.map((reply) => reply.at)) - outcome.pushed_at);
    }
    if (accepted.length > 1) counts.doubleReplies++;
  }
  return { counts, ackMs: latency(ackMs), replyMs: latency(replyMs) };
}
