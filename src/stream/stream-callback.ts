import { Port, port } from '../common/port';

/**
 * A CALLBACK frame that an app's Stream connection received, ACKed on arrival except a card press (its handler ACKs
 * it once recorded: ACKED_WHEN_HANDLED, docs/dingtalk/stream-mode.md). The
 * app's connection is shared by its bots, one per store: which bot a message is for is the receiving side's to say.
 */
export interface StreamCallback {
  /** The DingTalk app (dingtalk_apps) whose connection received it. */
  appId: number;
  /** Its AppKey: a bot message's msgId is unique within it. */
  clientId: string;
  /** The frame's `headers.topic`, e.g. `/v1.0/im/bot/messages/get`. */
  topic: string;
  /** The frame's `headers.messageId` (the delivery); the bot message's own id is `msgId` inside `data`. */
  messageId: string;
  /** The frame's `data`: a JSON string (for bot messages: docs/dingtalk/stream-mode.md). */
  data: string;
  /**
   * Sends the frame's ACK (once); nothing for a frame ACKed on arrival. A handler of a topic ACKed when handled calls
   * it once what the frame carries is kept: left uncalled (a failure, a crash), DingTalk delivers the frame again.
   */
  ack?: () => void;
}

export interface StreamCallbackHandler {
  handle(callback: StreamCallback): Promise<void>;
}

/**
 * Whoever understands the callbacks a connection receives (the receiving side, stream/receiving/): a port this
 * module declares, so that the connection layer does not depend on what the messages mean. Bound in
 * src/composition.module.ts.
 */
export const STREAM_CALLBACKS: Port<StreamCallbackHandler> = port<StreamCallbackHandler>('StreamCallbacks');
