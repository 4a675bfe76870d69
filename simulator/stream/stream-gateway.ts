import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { SimTimer } from '../core/sim-clock';
import { SimulatorContext } from '../core/simulator-context';
import { SimApp } from '../core/simulator-state';
import { botMessageData, conversationIdFor, SIM_CORP_ID, StaffMessageInput } from './bot-message';
import { BotMessageLog, BotMessageOutcome } from './bot-message-log';
import {
  downstreamFrame,
  EVENT_TOPIC,
  EventHeaders,
  newMessageId,
  readAck,
  SimAck,
  SimDownstreamFrame,
  subscribesTo,
  TOPIC_BOT_MESSAGE,
} from './stream-frames';

export interface StreamGatewayOptions {
  /**
   * Redeliver a CALLBACK nobody ACKed after this long (docs/dingtalk/stream-mode.md: field reports say 16–60 s). null:
   * never.
   */
  redeliveryDelayMs?: number | null;
  /**
   * Redeliver an EVENT after this long unless the client ACKed it with status `SUCCESS` (docs/dingtalk/stream-mode.md,
   * Redelivery: no ACK, `LATER`, or an ACK without a status). null: never.
   */
  eventRedeliveryDelayMs?: number | null;
  /** How many times one un-ACKed push is redelivered at most. */
  maxRedeliveries?: number;
  /**
   * After a `disconnect` frame the gateway closes the socket this much later (docs/dingtalk/stream-mode.md: about 10
   * s).
   */
  disconnectCloseDelayMs?: number;
  /** Tickets of `connections/open` are valid this long, once (docs/dingtalk/stream-mode.md: 90 s). */
  ticketTtlMs?: number;
}

export interface SimSubscription {
  type: string;
  topic: string;
}

/** One live WebSocket of an app. */
export interface SimStreamConnection {
  id: string;
  clientId: string;
  subscriptions: SimSubscription[];
  openedAt: number;
  /** A `disconnect` frame went out: nothing more is pushed here, and the socket closes soon. */
  draining: boolean;
  /** While true the connection stops answering WebSocket pings (a half-dead link, for keepalive tests). */
  silent: boolean;
  socket: WebSocket;
  closeTimer?: SimTimer;
}

/** A push the gateway is waiting to see ACKed. */
interface PendingPush {
  frame: SimDownstreamFrame;
  clientId: string;
  deliveries: number;
  /** Settled: a callback ACKed, an event ACKed with `SUCCESS`, or a SYSTEM frame (never redelivered). */
  acked: boolean;
  timer?: SimTimer;
  /** Told of the ACK that settles a callback: a card callback's ACK may answer with an update of the card. */
  onAck?: (ack: SimAck) => void;
}

/** An EVENT push as the control API and the page show it. */
export interface SimEventPush {
  messageId: string;
  eventId: string;
  eventType: string;
  clientId: string;
  data: string;
  bornAt: number;
  deliveries: number;
  /** The `status` of the latest ACK (`SUCCESS`, `LATER`), `none` for an ACK without one, null before any ACK. */
  ackStatus: string | null;
  consumed: boolean;
}

/** What a test or the page asks the gateway to push as an EVENT. */
export interface EventInput {
  clientId: string;
  eventType: string;
  /** The event's payload; sent as a JSON string. */
  data: unknown;
  /** The de-duplication id; a fresh one when omitted (a test may reuse one to play a duplicate). */
  eventId?: string;
}

export interface EventPushResult {
  messageId: string;
  eventId: string;
  connectionId: string;
  delivered: boolean;
}

export type RefusalMode = 'bad_credentials' | 'http_500';

/** One `connections/open` request: what the client sent besides its secret. */
export interface OpenRequest {
  clientId: string | null;
  accept: string | null;
  contentType: string | null;
  ua: string | null;
  subscriptions: unknown[] | null;
  status: number;
  at: number;
}

/** What `sendBotMessage` tells the caller (control API and tests). */
export interface BotMessageResult {
  msgId: string;
  messageId: string;
  connectionId: string;
  delivered: boolean;
  conversationId: string;
  sessionWebhook: string;
}

/** What `pushCallback` tells the caller. */
export interface CallbackPushResult {
  messageId: string;
  connectionId: string;
  delivered: boolean;
}

/** A control request the gateway cannot do, with the HTTP status the control API answers. */
export class StreamControlError extends Error {
  constructor(
    readonly status: 404 | 409 | 400,
    message: string,
  ) {
    super(message);
  }
}

interface Ticket {
  clientId: string;
  subscriptions: SimSubscription[];
  expiresAt: number;
}

const DEFAULTS = {
  redeliveryDelayMs: 60_000,
  eventRedeliveryDelayMs: 60_000,
  maxRedeliveries: 3,
  disconnectCloseDelayMs: 10_000,
  ticketTtlMs: 90_000,
};

/**
 * DingTalk's Stream gateway (docs/dingtalk/stream-mode.md): hands out single-use tickets, accepts WebSockets that carry
 * one, pushes frames, records the client's ACKs by messageId and redelivers un-ACKed callbacks. Every delay runs on the
 * simulator's clock, so tests can make the 10 s before a close or the 60 s before a redelivery pass at once.
 */
export class StreamGateway {
  readonly options: Required<Omit<StreamGatewayOptions, 'redeliveryDelayMs' | 'eventRedeliveryDelayMs'>> & {
    redeliveryDelayMs: number | null;
    eventRedeliveryDelayMs: number | null;
  };
  readonly acks: SimAck[] = [];
  /** Client frames that were not JSON or had no messageId. */
  readonly invalidFrames: Array<{ connectionId: string; text: string }> = [];
  /** Every `connections/open` call as it arrived: headers and subscriptions a client sent, and the status answered. */
  readonly opens: OpenRequest[] = [];
  /** Every connection that ever opened, with how it ended: tests count what a client left open. */
  readonly history: Array<{ id: string; clientId: string; openedAt: number; closedAt: number | null }> = [];
  private readonly tickets = new Map<string, Ticket>();
  private readonly live = new Map<string, SimStreamConnection>();
  private readonly pending = new Map<string, PendingPush>();
  /**
   * Un-ACKed pushes whose redelivery came while the app had no connection to take them: they go out on the app's
   * next connection that subscribes to them, as DingTalk keeps a callback for a client that reconnects. Kept with
   * the app they belong to: a reset app of the same client id starts with none.
   */
  private readonly parked = new Map<PendingPush, SimApp | undefined>();
  private readonly peaks = new Map<string, number>();
  private readonly refusals = new Map<string, { mode: RefusalMode; remaining: number }>();
  private readonly botMessageLog = new BotMessageLog();
  private readonly wss: WebSocketServer;
  private sequence = 0;

  constructor(
    private readonly context: SimulatorContext,
    options: StreamGatewayOptions = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    // autoPong off: the gateway answers pings itself, so that a connection can be made to go silent.
    this.wss = new WebSocketServer({ noServer: true, autoPong: false });
  }

  /** `POST /v1.0/gateway/connections/open`: the answer's status and body; the request is kept in `opens`. */
  open(
    body: unknown,
    headers: Pick<OpenRequest, 'accept' | 'contentType'>,
  ): { status: number; body: object } {
    const answer = this.answerOpen(body);
    const input = (body ?? {}) as { clientId?: unknown; ua?: unknown; subscriptions?: unknown };
    this.opens.push({
      clientId: typeof input.clientId === 'string' ? input.clientId : null,
      ...headers,
      ua: typeof input.ua === 'string' ? input.ua : null,
      subscriptions: Array.isArray(input.subscriptions) ? input.subscriptions : null,
      status: answer.status,
      at: this.context.clock.now(),
    });
    return answer;
  }

  private answerOpen(body: unknown): { status: number; body: object } {
    const input = (body ?? {}) as { clientId?: unknown; clientSecret?: unknown; subscriptions?: unknown };
    if (typeof input.clientId !== 'string' || typeof input.clientSecret !== 'string') {
      return missing('clientId and clientSecret are required');
    }
    if (!Array.isArray(input.subscriptions)) return missing('subscriptions is required');
    const refusal = this.takeRefusal(input.clientId);
    if (refusal === 'http_500') {
      return { status: 500, body: { code: 'ServiceUnavailable', message: 'simulated gateway failure' } };
    }
    const app = this.context.state.apps.get(input.clientId);
    if (refusal === 'bad_credentials' || !app || app.clientSecret !== input.clientSecret) {
      // DingTalk does not document the bad-credentials answer (docs/dingtalk/stream-mode.md): the new API's error
      // shape.
      return {
        status: 401,
        body: {
          code: 'InvalidAuthentication',
          message: 'clientId or clientSecret is invalid',
          requestid: randomUUID(),
        },
      };
    }
    const subscriptions = (input.subscriptions as unknown[])
      .filter((item): item is SimSubscription => {
        const sub = item as Partial<SimSubscription> | null;
        return typeof sub?.type === 'string' && typeof sub.topic === 'string';
      })
      .map(({ type, topic }) => ({ type, topic }));
    const ticket = randomUUID();
    this.tickets.set(ticket, {
      clientId: app.clientId,
      subscriptions,
      expiresAt: this.context.clock.now() + this.options.ticketTtlMs,
    });
    const endpoint = `${this.context.baseUrl().replace(/^http/, 'ws')}/connect`;
    return { status: 200, body: { endpoint, ticket } };
  }

  /** The HTTP server's `upgrade` event: `/connect?ticket=` with a valid, unused ticket becomes a connection. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'http://simulator');
    if (url.pathname !== '/connect') return refuseUpgrade(socket, 404, 'Not Found');
    const ticketId = url.searchParams.get('ticket') ?? '';
    const ticket = this.tickets.get(ticketId);
    this.tickets.delete(ticketId);
    if (!ticket || ticket.expiresAt < this.context.clock.now()) {
      return refuseUpgrade(socket, 401, 'Unauthorized');
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, ticket));
  }

  /** Live connections, optionally of one app. */
  connections(clientId?: string): SimStreamConnection[] {
    return [...this.live.values()].filter((connection) => !clientId || connection.clientId === clientId);
  }

  /**
   * A staff member writes to the app's bot: one CALLBACK frame to one of its live connections. In a group the frame
   * carries that group's ids and title (docs/dingtalk/stream-mode.md); a group the app's robot is not in is refused,
   * as DingTalk delivers nothing from it.
   */
  sendBotMessage(message: StaffMessageInput): BotMessageResult {
    const { state, clock } = this.context;
    const app = state.apps.get(message.clientId);
    if (!app) throw new StreamControlError(404, `No app with client_id ${message.clientId}`);
    // An external member has no userid; the simulator still tells members apart by a key of its own.
    const staffId = message.external
      ? `external:${message.senderNick ?? 'guest'}`
      : (message.senderStaffId ?? 'manager01');
    const group = message.conversationType === '2';
    const groupId = group ? conversationIdFor(message, staffId) : undefined;
    const known = groupId === undefined ? undefined : state.conversations.get(groupId);
    if (known && !known.clientIds.includes(app.clientId)) {
      throw new StreamControlError(
        409,
        `The robot of app ${app.clientId} is not in group ${known.id}: add it first (POST /_sim/apps/${app.clientId}/groups)`,
      );
    }
    const connection = this.pickConnection(message.clientId, 'CALLBACK', TOPIC_BOT_MESSAGE);
    // The chat joins the simulator's conversation registry, so robot group sends to it are accepted later.
    const conversation = state.ensureConversation({
      id: message.conversationId ?? groupId,
      type: group ? 'group' : 'single',
      title: message.conversationTitle ?? (group ? '门店群' : undefined),
      clientId: app.clientId,
      members: [staffId],
    });
    const conversationId = conversation.id;
    const session = state.openSession({
      clientId: app.clientId,
      conversationId,
      conversationType: message.conversationType,
      senderStaffId: message.external ? '' : staffId,
    });
    const sessionWebhook = state.sessionWebhook(this.context.baseUrl(), session);
    const data = botMessageData({
      app,
      message,
      staffId,
      conversationId,
      conversationTitle: conversation.title,
      session,
      sessionWebhook,
      now: clock.now(),
    });
    const frame = this.push(connection, 'CALLBACK', TOPIC_BOT_MESSAGE, data);
    this.botMessageLog.add({
      msgId: data.msgId,
      messageId: frame.headers.messageId,
      clientId: app.clientId,
      conversationId,
      conversationType: message.conversationType,
      senderStaffId: data.senderStaffId,
      sessionId: session.id,
      pushedAt: Number(frame.headers.time),
    });
    // What the staff member wrote, so the web page shows both sides of the chat (channel `staff`).
    state.record({
      channel: 'staff',
      target: conversationId,
      clientId: app.clientId,
      msgtype: data.msgtype,
      title: null,
      text: data.msgtype === 'text' ? message.text : `[${data.msgtype}] ${message.text}`,
      body: data,
      signature: null,
      errcode: 0,
      errmsg: 'ok',
    });
    return {
      msgId: data.msgId,
      messageId: frame.headers.messageId,
      connectionId: connection.id,
      delivered: connection.socket.readyState === WebSocket.OPEN,
      conversationId,
      sessionWebhook,
    };
  }

  /**
   * Every bot message pushed so far (optionally of one app or conversation), with its deliveries, the ACKs it got
   * and the replies through its `sessionWebhook`.
   */
  botMessages(filter: { clientId?: string; conversationId?: string } = {}): BotMessageOutcome[] {
    return this.botMessageLog.outcomes(filter, {
      acks: this.acks,
      replies: this.context.state.messages,
      deliveriesOf: (messageId) => this.deliveriesOf(messageId),
    });
  }

  /**
   * A CALLBACK of another topic than bot messages (a card click: simulator/cards/) to one of the app's connections
   * subscribed to it; redelivered and kept for the next connection like a bot message. `onAck` hears the ACK that
   * settles it. Throws StreamControlError (409) when no live connection of the app subscribes to the topic.
   */
  pushCallback(
    clientId: string,
    topic: string,
    data: unknown,
    onAck?: (ack: SimAck) => void,
  ): CallbackPushResult {
    const connection = this.pickConnection(clientId, 'CALLBACK', topic);
    const frame = this.push(connection, 'CALLBACK', topic, data, true, undefined, onAck);
    return {
      messageId: frame.headers.messageId,
      connectionId: connection.id,
      delivered: connection.socket.readyState === WebSocket.OPEN,
    };
  }

  /** Pushes an earlier frame again now, ACKed or not (DingTalk does; docs/dingtalk/stream-mode.md). */
  redeliver(messageId: string): { connectionId: string } {
    const push = this.pending.get(messageId);
    if (!push) throw new StreamControlError(404, `No push with messageId ${messageId}`);
    const connection = this.pickConnection(push.clientId, push.frame.type, push.frame.headers.topic);
    this.deliver(connection, push);
    return { connectionId: connection.id };
  }

  /**
   * An EVENT for the app (docs/dingtalk/stream-mode.md): to one of its connections subscribed to `EVENT *`, with the
   * event headers; redelivered until a connection ACKs it with status `SUCCESS`.
   */
  sendEvent(input: EventInput): EventPushResult {
    const { state, clock } = this.context;
    const app = state.apps.get(input.clientId);
    if (!app) throw new StreamControlError(404, `No app with client_id ${input.clientId}`);
    const connection = this.pickConnection(app.clientId, 'EVENT', EVENT_TOPIC);
    const eventId = input.eventId ?? randomUUID().replace(/-/g, '');
    const frame = this.push(connection, 'EVENT', EVENT_TOPIC, input.data, true, {
      eventType: input.eventType,
      eventId,
      eventCorpId: SIM_CORP_ID,
      eventBornTime: String(clock.now()),
      eventUnifiedAppId: app.clientId,
    });
    return {
      messageId: frame.headers.messageId,
      eventId,
      connectionId: connection.id,
      delivered: connection.socket.readyState === WebSocket.OPEN,
    };
  }

  /** Every EVENT pushed so far, oldest first, optionally of one app. */
  events(clientId?: string): SimEventPush[] {
    return [...this.pending.values()]
      .filter((push) => push.frame.type === 'EVENT' && (!clientId || push.clientId === clientId))
      .map((push) => {
        const acks = this.acksOf(push.frame.headers.messageId);
        const last = acks[acks.length - 1];
        return {
          messageId: push.frame.headers.messageId,
          eventId: push.frame.headers.eventId ?? '',
          eventType: push.frame.headers.eventType ?? '',
          clientId: push.clientId,
          data: push.frame.data,
          bornAt: Number(push.frame.headers.eventBornTime),
          deliveries: push.deliveries,
          ackStatus: last ? (last.status ?? 'none') : null,
          consumed: push.acked,
        };
      });
  }

  /** SYSTEM ping with an opaque value; the client must echo it (docs/dingtalk/stream-mode.md). */
  ping(connectionId: string): { messageId: string; opaque: string } {
    const connection = this.connection(connectionId);
    const opaque = randomUUID();
    const frame = this.push(connection, 'SYSTEM', 'ping', { opaque }, false);
    return { messageId: frame.headers.messageId, opaque };
  }

  /** True once the client echoed this ping's data. */
  pingAnswered(messageId: string, opaque: string): boolean {
    return this.acks.some((ack) => ack.messageId === messageId && ack.data?.includes(opaque) === true);
  }

  /** SYSTEM disconnect, then a close `disconnectCloseDelayMs` later unless the client closes first. */
  disconnect(connectionId: string, reason = 'persistent connection is timeout'): void {
    const connection = this.connection(connectionId);
    this.push(connection, 'SYSTEM', 'disconnect', { reason }, false);
    connection.draining = true;
    connection.closeTimer = this.context.clock.setTimeout(
      () => connection.socket.close(1000, 'disconnect'),
      this.options.disconnectCloseDelayMs,
    );
  }

  /** Drops the TCP connection without a close frame (`terminate`) or closes it cleanly with a code. */
  drop(connectionId: string, mode: 'terminate' | 'close' = 'terminate'): void {
    const connection = this.connection(connectionId);
    if (mode === 'close') connection.socket.close(1001, 'going away');
    else connection.socket.terminate();
  }

  /** A text frame that is not JSON, as a broken gateway or proxy might send. */
  sendGarbage(connectionId: string, text = 'this is not json {'): void {
    this.connection(connectionId).socket.send(text);
  }

  /** Stops (or resumes) answering WebSocket pings on a connection, leaving it open: a half-dead link. */
  setSilent(connectionId: string, silent: boolean): void {
    this.connection(connectionId).silent = silent;
  }

  /** The next `count` `connections/open` calls of the app (or of any app, with '*') are refused. */
  refuseOpen(clientId: string, count: number, mode: RefusalMode = 'bad_credentials'): void {
    this.refusals.set(clientId, { mode, remaining: count });
  }

  clearRefusals(): void {
    this.refusals.clear();
  }

  /** ACKs recorded for one push (a correct client sends exactly one per delivery). */
  acksOf(messageId: string): SimAck[] {
    return this.acks.filter((ack) => ack.messageId === messageId);
  }

  /** The most connections the app ever had open at the same moment. */
  peakConnections(clientId: string): number {
    return this.peaks.get(clientId) ?? 0;
  }

  /** How often a push went out (1 + redeliveries). */
  deliveriesOf(messageId: string): number {
    return this.pending.get(messageId)?.deliveries ?? 0;
  }

  close(): void {
    for (const push of this.pending.values()) this.context.clock.clearTimeout(push.timer);
    this.parked.clear();
    for (const connection of this.live.values()) {
      this.context.clock.clearTimeout(connection.closeTimer);
      connection.socket.terminate();
    }
    this.wss.close();
  }

  private accept(socket: WebSocket, ticket: Ticket): void {
    const connection: SimStreamConnection = {
      id: randomUUID(),
      clientId: ticket.clientId,
      subscriptions: ticket.subscriptions,
      openedAt: this.context.clock.now(),
      draining: false,
      silent: false,
      socket,
    };
    this.live.set(connection.id, connection);
    const count = this.connections(connection.clientId).length;
    this.peaks.set(connection.clientId, Math.max(count, this.peaks.get(connection.clientId) ?? 0));
    const record = {
      id: connection.id,
      clientId: connection.clientId,
      openedAt: connection.openedAt,
      closedAt: null as number | null,
    };
    this.history.push(record);
    socket.on('ping', (payload) => {
      if (!connection.silent) socket.pong(payload);
    });
    socket.on('message', (raw, isBinary) => {
      if (isBinary) return;
      const bytes = Array.isArray(raw)
        ? Buffer.concat(raw)
        : Buffer.isBuffer(raw)
          ? raw
          : Buffer.from(new Uint8Array(raw));
      this.receive(connection, bytes.toString('utf8'));
    });
    socket.on('error', () => socket.terminate());
    socket.on('close', () => {
      this.context.clock.clearTimeout(connection.closeTimer);
      this.live.delete(connection.id);
      record.closedAt = this.context.clock.now();
    });
    this.deliverParked(connection);
  }

  private receive(connection: SimStreamConnection, text: string): void {
    const ack = readAck(text, connection.id, this.context.clock.now());
    if (!ack) {
      this.invalidFrames.push({ connectionId: connection.id, text: text.slice(0, 500) });
      return;
    }
    this.acks.push(ack);
    const push = this.pending.get(ack.messageId);
    // An event counts as consumed only with status SUCCESS; LATER (or no status) leaves it due for redelivery.
    if (push?.frame.type === 'EVENT' && ack.status !== 'SUCCESS') return;
    if (push && !push.acked) {
      push.acked = true;
      this.context.clock.clearTimeout(push.timer);
      push.onAck?.(ack);
    }
  }

  private push(
    connection: SimStreamConnection,
    type: SimDownstreamFrame['type'],
    topic: string,
    data: unknown,
    redeliverable = true,
    event?: EventHeaders,
    onAck?: (ack: SimAck) => void,
  ): SimDownstreamFrame {
    const now = this.context.clock.now();
    const frame = downstreamFrame({
      type,
      topic,
      appId: connection.clientId,
      connectionId: connection.id,
      messageId: newMessageId(++this.sequence, now),
      now,
      data,
      event,
    });
    const push: PendingPush = {
      frame,
      clientId: connection.clientId,
      deliveries: 0,
      acked: !redeliverable,
      onAck,
    };
    this.pending.set(frame.headers.messageId, push);
    this.deliver(connection, push);
    return frame;
  }

  private deliver(connection: SimStreamConnection, push: PendingPush): void {
    this.parked.delete(push);
    push.deliveries += 1;
    const frame = { ...push.frame, headers: { ...push.frame.headers, connectionId: connection.id } };
    if (connection.socket.readyState === WebSocket.OPEN) connection.socket.send(JSON.stringify(frame));
    this.context.clock.clearTimeout(push.timer);
    const delay =
      push.frame.type === 'EVENT' ? this.options.eventRedeliveryDelayMs : this.options.redeliveryDelayMs;
    if (push.acked || delay === null || push.deliveries > this.options.maxRedeliveries) return;
    push.timer = this.context.clock.setTimeout(() => {
      if (push.acked) return;
      const next = this.candidates(push.clientId, push.frame.type, push.frame.headers.topic);
      if (next.length > 0) this.deliver(randomOf(next), push);
      else this.parked.set(push, this.context.state.apps.get(push.clientId));
    }, delay);
  }

  /** A new connection takes the app's parked pushes it subscribes to. */
  private deliverParked(connection: SimStreamConnection): void {
    const app = this.context.state.apps.get(connection.clientId);
    for (const [push, parkedFor] of this.parked) {
      if (push.clientId !== connection.clientId || parkedFor !== app || push.acked) continue;
      if (!subscribesTo(connection.subscriptions, push.frame.type, push.frame.headers.topic)) continue;
      this.deliver(connection, push);
    }
  }

  /**
   * Live, non-draining connections of the app subscribed to this kind of frame: `EVENT *` for events, a CALLBACK
   * entry with exactly this topic for callbacks (docs/dingtalk/stream-mode.md, Subscriptions).
   */
  private candidates(
    clientId: string,
    type: SimDownstreamFrame['type'],
    topic: string,
  ): SimStreamConnection[] {
    return this.connections(clientId).filter(
      (connection) =>
        !connection.draining &&
        connection.socket.readyState === WebSocket.OPEN &&
        subscribesTo(connection.subscriptions, type, topic),
    );
  }

  /** DingTalk picks one of an app's connections at random for each push (docs/dingtalk/stream-mode.md). */
  private pickConnection(
    clientId: string,
    type: SimDownstreamFrame['type'],
    topic: string,
  ): SimStreamConnection {
    const candidates = this.candidates(clientId, type, topic);
    if (candidates.length === 0) {
      throw new StreamControlError(
        409,
        `App ${clientId} has no live Stream connection subscribed to ${type} ${topic}: is its bot enabled and connected?`,
      );
    }
    return randomOf(candidates);
  }

  private connection(connectionId: string): SimStreamConnection {
    const connection = this.live.get(connectionId);
    if (!connection) throw new StreamControlError(404, `No live connection ${connectionId}`);
    return connection;
  }

  private takeRefusal(clientId: string): RefusalMode | null {
    for (const key of [clientId, '*']) {
      const refusal = this.refusals.get(key);
      if (!refusal) continue;
      refusal.remaining -= 1;
      if (refusal.remaining <= 0) this.refusals.delete(key);
      return refusal.mode;
    }
    return null;
  }
}

function missing(message: string) {
  return { status: 400, body: { code: 'MissingParameter', message, requestid: randomUUID() } };
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function randomOf<T>(items: T[]): T {
  return items[Math.floor(Math.random() * items.length)];
}
