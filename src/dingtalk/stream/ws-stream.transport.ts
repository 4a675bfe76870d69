import { Injectable } from '@nestjs/common';
import WebSocket from 'ws';
import { Clock, ClockTimer } from '../../common/clock';
import { AppConfig } from '../../config/app-config';
import { AppCredentials } from '../app-credentials';
import { ACKED_WHEN_HANDLED, ackFrame, DownstreamFrame, parseFrame, systemAckFrame } from './stream-frames';
import { StreamGatewayClient, StreamOpenError } from './stream-gateway.client';
import {
  StreamCloseReason,
  StreamConnection,
  StreamConnectionHandlers,
  StreamTransport,
} from './stream-transport';

/**
 * Keepalive: after this much silence we send a WebSocket ping (Go SDK: 120 s; Python: 60 s;
 * docs/dingtalk/stream-mode.md).
 */
export const KEEPALIVE_IDLE_MS = 60_000;
/** …and give up on the link if nothing (pong or frame) comes back within this (Go: 5 s). */
export const KEEPALIVE_PONG_TIMEOUT_MS = 10_000;

/**
 * The service's own Stream client on `ws` (see docs/stream-connections.md, "Why not the official SDK at run time"). Per connection: one
 * socket, one keepalive timer on the injected Clock, every frame parsed defensively, CALLBACKs ACKed before anything
 * else runs (DingTalk redelivers late ACKs: docs/dingtalk/stream-mode.md) except card presses, ACKed by their handler
 * once recorded (ACKED_WHEN_HANDLED), `ping` echoed, `disconnect` acted on at once.
 */
@Injectable()
export class WsStreamTransport extends StreamTransport {
  constructor(
    private readonly gateway: StreamGatewayClient,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async connect(
    app: AppCredentials,
    handlers: StreamConnectionHandlers,
    signal: AbortSignal,
  ): Promise<StreamConnection> {
    const { endpoint, ticket } = await this.gateway.open(app, signal);
    const opened = await openSocket(
      `${endpoint}?ticket=${encodeURIComponent(ticket)}`,
      this.config.dingtalk.timeoutMs,
      signal,
    );
    return new WsStreamConnection(opened, handlers, this.clock);
  }
}

/** An open socket, with the frames that arrived before anyone listened (they may come with the handshake). */
interface OpenedSocket {
  socket: WebSocket;
  early: Array<{ raw: WebSocket.RawData; isBinary: boolean }>;
}

function openSocket(url: string, timeoutMs: number, signal: AbortSignal): Promise<OpenedSocket> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new StreamOpenError('transient', 'stopped before connecting'));
    const socket = new WebSocket(url, { handshakeTimeout: timeoutMs, perMessageDeflate: false });
    // ws emits frames that came in the same packet as the handshake before a promise continuation could listen.
    const early: OpenedSocket['early'] = [];
    socket.on('message', (raw, isBinary) => early.push({ raw, isBinary }));
    const onAbort = () => fail('stopped while connecting');
    signal.addEventListener('abort', onAbort, { once: true });
    const fail = (message: string) => {
      signal.removeEventListener('abort', onAbort);
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.terminate();
      reject(new StreamOpenError('transient', message));
    };
    socket.once('open', () => {
      signal.removeEventListener('abort', onAbort);
      socket.removeAllListeners('unexpected-response');
      socket.removeAllListeners('error');
      socket.on('error', () => socket.terminate());
      resolve({ socket, early });
    });
    socket.once('unexpected-response', (_request, response) =>
      fail(`the WebSocket handshake was answered with HTTP ${response.statusCode ?? '?'}`),
    );
    // The URL carries the ticket: name only the failure, not the address.
    socket.once('error', (error: Error & { code?: string }) =>
      fail(`the WebSocket could not be opened${error.code ? ` (${error.code})` : ''}`),
    );
  });
}

class WsStreamConnection implements StreamConnection {
  private ended = false;
  private lastActivity: number;
  private pingSentAt: number | null = null;
  private keepaliveTimer: ClockTimer | undefined;
  private readonly gone: Promise<void>;

  private readonly socket: WebSocket;

  constructor(
    opened: OpenedSocket,
    private readonly handlers: StreamConnectionHandlers,
    private readonly clock: Clock,
  ) {
    const socket = opened.socket;
    this.socket = socket;
    socket.removeAllListeners('message');
    this.lastActivity = clock.now();
    this.gone =
      socket.readyState === WebSocket.CLOSED
        ? Promise.resolve()
        : new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('message', (raw, isBinary) => this.onMessage(raw, isBinary));
    socket.on('pong', () => this.touch());
    socket.on('ping', () => this.touch());
    socket.on('close', (code, reason) => this.end('closed', `socket closed (${code}${reasonText(reason)})`));
    this.scheduleKeepalive(KEEPALIVE_IDLE_MS);
    for (const { raw, isBinary } of opened.early) this.onMessage(raw, isBinary);
    if (socket.readyState !== WebSocket.OPEN) this.end('closed', 'socket closed while opening');
  }

  async close(): Promise<void> {
    this.end('stopped', 'closed by the service');
    await this.gone;
  }

  private onMessage(raw: WebSocket.RawData, isBinary: boolean): void {
    this.touch();
    const text = isBinary ? '' : rawText(raw);
    const frame = parseFrame(text);
    if (!frame) {
      this.handlers.onInvalidFrame(
        `ignored a frame that is not a Stream frame: ${JSON.stringify(text.slice(0, 80))}`,
      );
      return;
    }
    switch (frame.type) {
      case 'SYSTEM':
        return this.onSystem(frame);
      case 'EVENT':
        // Not subscribed to any event in particular; ACK so the gateway does not redeliver
        // (docs/dingtalk/stream-mode.md).
        return this.send(ackFrame(frame.headers.messageId, { status: 'SUCCESS', message: 'success' }));
      case 'CALLBACK': {
        let acked = false;
        const ack = () => {
          if (acked) return;
          acked = true;
          this.send(ackFrame(frame.headers.messageId, { response: null }));
        };
        if (!ACKED_WHEN_HANDLED.has(frame.headers.topic)) ack();
        return this.handlers.onCallback(frame, ack);
      }
    }
  }

  private onSystem(frame: DownstreamFrame): void {
    switch (frame.headers.topic) {
      case 'ping':
        return this.send(systemAckFrame(frame));
      case 'disconnect':
        // The gateway will close in ~10 s and may stop delivering now: leave at once for a fresh ticket.
        return this.end(
          'disconnect_requested',
          `the gateway asked to reconnect: ${frame.data.slice(0, 200)}`,
        );
      default:
        // CONNECTED, REGISTERED, KEEPALIVE: undocumented (docs/dingtalk/stream-mode.md); their arrival already counts
        // as activity.
        return;
    }
  }

  private send(text: string): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(text);
  }

  private touch(): void {
    this.lastActivity = this.clock.now();
    this.pingSentAt = null;
  }

  private scheduleKeepalive(delayMs: number): void {
    this.clock.clearTimeout(this.keepaliveTimer);
    if (this.ended) return;
    this.keepaliveTimer = this.clock.setTimeout(() => this.checkKeepalive(), Math.max(1, delayMs));
  }

  private checkKeepalive(): void {
    const now = this.clock.now();
    if (this.pingSentAt !== null) {
      if (now - this.pingSentAt >= KEEPALIVE_PONG_TIMEOUT_MS) {
        return this.end(
          'keepalive_timeout',
          `no answer to a keepalive ping within ${KEEPALIVE_PONG_TIMEOUT_MS / 1000} s`,
        );
      }
      return this.scheduleKeepalive(this.pingSentAt + KEEPALIVE_PONG_TIMEOUT_MS - now);
    }
    const idle = now - this.lastActivity;
    if (idle < KEEPALIVE_IDLE_MS) return this.scheduleKeepalive(KEEPALIVE_IDLE_MS - idle);
    this.pingSentAt = now;
    if (this.socket.readyState === WebSocket.OPEN) this.socket.ping();
    this.scheduleKeepalive(KEEPALIVE_PONG_TIMEOUT_MS);
  }

  /** Ends the connection once: timer cleared, socket gone (terminate: no waiting on a dead peer), owner told. */
  private end(reason: StreamCloseReason, detail: string): void {
    if (this.ended) return;
    this.ended = true;
    this.clock.clearTimeout(this.keepaliveTimer);
    if (reason === 'stopped' || reason === 'disconnect_requested') this.socket.close(1000);
    if (reason === 'keepalive_timeout') this.socket.terminate();
    // A close frame the peer does not answer must not keep the socket (and its port) forever.
    if (this.socket.readyState !== WebSocket.CLOSED) {
      const force = this.clock.setTimeout(() => this.socket.terminate(), 5_000);
      this.socket.once('close', () => this.clock.clearTimeout(force));
    }
    this.handlers.onClose(reason, detail);
  }
}

function rawText(raw: WebSocket.RawData): string {
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  return Buffer.isBuffer(raw) ? raw.toString('utf8') : Buffer.from(new Uint8Array(raw)).toString('utf8');
}

function reasonText(reason: Buffer): string {
  const text = reason.toString('utf8');
  return text ? `: ${text.slice(0, 100)}` : '';
}
