import { Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AppCredentials } from '../dingtalk/app-credentials';
import { DownstreamFrame } from '../dingtalk/stream/stream-frames';
import { StreamOpenError } from '../dingtalk/stream/stream-gateway.client';
import { StreamCloseReason, StreamConnection, StreamTransport } from '../dingtalk/stream/stream-transport';
import { authRetryDelayMs, reconnectDelayMs, STABLE_CONNECTION_MS } from './reconnect-backoff';

export type StreamConnectionStatus =
  'connected' | 'connecting' | 'reconnecting' | 'disconnected' | 'auth_failed';

/** What `GET /stream/status` shows of an app's connection (and `GET /dingtalk-bots/:id/status` for each of its bots). */
export interface StreamAppState {
  status: StreamConnectionStatus;
  /** When `status` took its current value. */
  statusSince: number;
  connectedSince: number | null;
  lastMessageTime: number | null;
  /** Why the last attempt or connection failed; never a secret (the transport's messages name none). */
  lastError: string | null;
  /** How many times an established connection was lost and the supervisor went on to reconnect. */
  reconnectCount: number;
}

/** An app as its connection is made: its id here and its credentials. */
export interface SupervisedApp {
  id: number;
  app: AppCredentials;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

/**
 * Keeps one app's Stream connection up until stopped (one per app, whatever the number of its bots): connect, and
 * when the connection ends (closed, `disconnect` frame, missed keepalive) or cannot be made, connect again after an
 * exponential backoff with jitter (at once after `disconnect`; slowly after refused credentials). One loop per app,
 * so there is never more than one socket per app and no timer outlives `stop()`; every wait is on the injected Clock.
 */
export class StreamAppSupervisor {
  readonly state: StreamAppState;
  private readonly logger = new Logger('StreamConnection');
  private readonly abort = new AbortController();
  private readonly firstOutcome = deferred<boolean>();
  private running: Promise<void> | null = null;
  private connection: StreamConnection | null = null;

  constructor(
    readonly target: SupervisedApp,
    private readonly transport: StreamTransport,
    private readonly clock: Clock,
    private readonly onCallback: (app: SupervisedApp, frame: DownstreamFrame, ack: () => void) => void,
    /** Called after each change of status (connected, lost, refused, stopped), e.g. to publish it to the cluster. */
    private readonly onStateChange: (app: SupervisedApp, state: StreamAppState) => void = () => {},
  ) {
    this.state = {
      status: 'connecting',
      statusSince: clock.now(),
      connectedSince: null,
      lastMessageTime: null,
      lastError: null,
      reconnectCount: 0,
    };
  }

  /** Resolves with whether the first attempt connected (start-up counts successes with it). */
  get firstAttempt(): Promise<boolean> {
    return this.firstOutcome.promise;
  }

  start(): void {
    this.running ??= this.run().catch((error: unknown) => {
      // The loop catches everything it expects; reaching here is a bug, which must not take the process down.
      this.logger.error(
        `Stream supervisor of app_id=${this.target.id} stopped unexpectedly: ${String(error)}`,
      );
      this.setStatus('disconnected');
    });
  }

  /** Stops reconnecting, closes the socket and waits until both are done. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.connection?.close();
    await this.running;
    this.state.connectedSince = null;
    this.setStatus('disconnected');
    this.firstOutcome.resolve(false);
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      const ended = deferred<{ reason: StreamCloseReason; detail: string }>();
      let delayMs: number;
      try {
        const connection = await this.transport.connect(
          this.target.app,
          {
            onCallback: (frame, ack) => this.receive(frame, ack),
            onInvalidFrame: (detail) => this.logger.warn(`Stream app_id=${this.target.id}: ${detail}`),
            onClose: (reason, detail) => ended.resolve({ reason, detail }),
          },
          this.abort.signal,
        );
        if (this.stopped) {
          await connection.close();
          break;
        }
        this.connection = connection;
        const openedAt = this.clock.now();
        Object.assign(this.state, { connectedSince: openedAt, lastError: null });
        this.setStatus('connected');
        this.logger.log(
          `Stream app connected app_id=${this.target.id} client_id=${this.target.app.clientId}`,
        );
        this.firstOutcome.resolve(true);

        const { reason, detail } = await ended.promise;
        this.connection = null;
        this.state.connectedSince = null;
        if (this.stopped || reason === 'stopped') break;
        this.state.reconnectCount += 1;
        this.state.lastError = detail;
        this.setStatus('reconnecting');
        if (this.clock.now() - openedAt >= STABLE_CONNECTION_MS) attempt = 0;
        // After `disconnect` the gateway wants us on a fresh ticket now; anything else may be an outage.
        delayMs = reason === 'disconnect_requested' ? 0 : reconnectDelayMs(attempt++);
        this.logger.warn(
          `Stream app_id=${this.target.id} connection lost (${reason}: ${detail}); reconnecting in ${delayMs} ms`,
        );
      } catch (error) {
        this.firstOutcome.resolve(false);
        if (this.stopped) break;
        const message = error instanceof Error ? error.message : String(error);
        this.state.lastError = message;
        if (error instanceof StreamOpenError && error.kind === 'auth') {
          this.setStatus('auth_failed');
          delayMs = authRetryDelayMs();
          this.logger.error(
            `Stream app_id=${this.target.id} credentials refused (${message}); check the app's client_id and client_secret, retrying in ${Math.round(delayMs / 1000)} s`,
          );
        } else {
          this.setStatus(this.state.status === 'auth_failed' ? 'auth_failed' : 'reconnecting');
          delayMs = reconnectDelayMs(attempt++);
          this.logger.warn(
            `Stream app_id=${this.target.id} could not connect (${message}); retrying in ${delayMs} ms`,
          );
        }
      }
      if (delayMs > 0) await this.clock.sleep(delayMs, this.abort.signal);
    }
    this.setStatus('disconnected');
  }

  /** Records a status (and since when, if it changed) and tells the listener; the error may be new either way. */
  private setStatus(status: StreamConnectionStatus): void {
    if (this.state.status !== status) {
      this.state.status = status;
      this.state.statusSince = this.clock.now();
    }
    this.onStateChange(this.target, this.state);
  }

  private receive(frame: DownstreamFrame, ack: () => void): void {
    this.state.lastMessageTime = this.clock.now();
    this.onCallback(this.target, frame, ack);
  }
}
