import { AppCredentials } from '../app-credentials';
import { DownstreamFrame } from './stream-frames';

/** Why a live Stream connection ended. */
export type StreamCloseReason =
  /** The gateway (or the network) closed the socket. */
  | 'closed'
  /**
   * The gateway sent SYSTEM `disconnect`: it wants the client on a fresh connection (docs/dingtalk/stream-mode.md).
   */
  | 'disconnect_requested'
  /** Nothing arrived, not even a pong to our ping: the link is dead without having said so. */
  | 'keepalive_timeout'
  /** The owner closed it. */
  | 'stopped';

export interface StreamConnectionHandlers {
  /**
   * A CALLBACK frame, already ACKed unless its topic is ACKed when handled (ACKED_WHEN_HANDLED): `ack` sends its ACK
   * then (once; a closed connection sends nothing, and DingTalk redelivers). For the other topics `ack` does nothing.
   */
  onCallback(frame: DownstreamFrame, ack: () => void): void;
  /** A frame that was not understood (not JSON, no messageId): logged and ignored. */
  onInvalidFrame(detail: string): void;
  /** Called once, when the connection is over for whatever reason. */
  onClose(reason: StreamCloseReason, detail: string): void;
}

/** One open Stream connection of one app. */
export interface StreamConnection {
  /** Closes it (idempotent); resolves once the socket is gone. `onClose` is called with `stopped`. */
  close(): Promise<void>;
}

/**
 * Opens Stream connections (`connections/open`, then the WebSocket with the ticket: docs/dingtalk/stream-mode.md).
 * Rejects with a StreamOpenError or a network error when no connection could be made; reconnecting is the caller's
 * decision.
 */
export abstract class StreamTransport {
  /** `signal` aborts an attempt in progress (the owner is stopping): it rejects at once, leaving no socket. */
  abstract connect(
    app: AppCredentials,
    handlers: StreamConnectionHandlers,
    signal: AbortSignal,
  ): Promise<StreamConnection>;
}
