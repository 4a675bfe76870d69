import { SimMessage } from '../core/simulator-state';
import { SimAck } from './stream-frames';

/** One bot message the gateway pushed: what a staff member wrote, where, and the session it opened. */
export interface LoggedBotMessage {
  msgId: string;
  messageId: string;
  clientId: string;
  conversationId: string;
  /** '1' one-to-one, '2' group (docs/dingtalk/stream-mode.md). */
  conversationType: '1' | '2';
  senderStaffId: string;
  sessionId: string;
  /** The frame's `headers.time`: when it went out first, on the simulator's clock. */
  pushedAt: number;
}

/** A bot message with what became of it: its deliveries, the client's ACKs and the replies through its session. */
export interface BotMessageOutcome extends LoggedBotMessage {
  deliveries: number;
  acks: SimAck[];
  replies: SimMessage[];
}

/**
 * Every bot message the gateway pushed, oldest first, so that a test or a benchmark can read in one request what
 * happened to each: when it was ACKed and when (and how) it was answered through its `sessionWebhook`.
 */
export class BotMessageLog {
  private readonly entries: LoggedBotMessage[] = [];

  add(entry: LoggedBotMessage): void {
    this.entries.push(entry);
  }

  /**
   * The logged messages, optionally of one app or conversation, joined with the ACKs and session replies given:
   * each list is indexed once, so that reading thousands of messages stays linear.
   */
  outcomes(
    filter: { clientId?: string; conversationId?: string },
    sources: { acks: SimAck[]; replies: SimMessage[]; deliveriesOf(messageId: string): number },
  ): BotMessageOutcome[] {
    const acks = groupBy(sources.acks, (ack) => ack.messageId);
    const replies = groupBy(
      sources.replies.filter((reply) => reply.channel === 'session'),
      (reply) => reply.sessionId,
    );
    return this.entries
      .filter(
        (entry) =>
          (filter.clientId === undefined || entry.clientId === filter.clientId) &&
          (filter.conversationId === undefined || entry.conversationId === filter.conversationId),
      )
      .map((entry) => ({
        ...entry,
        deliveries: sources.deliveriesOf(entry.messageId),
        acks: acks.get(entry.messageId) ?? [],
        replies: replies.get(entry.sessionId) ?? [],
      }));
  }
}

function groupBy<T>(items: T[], key: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const value = key(item);
    if (value === undefined) continue;
    const group = groups.get(value);
    if (group) group.push(item);
    else groups.set(value, [item]);
  }
  return groups;
}
