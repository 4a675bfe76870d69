import { Injectable, Logger } from '@nestjs/common';

/** A CALLBACK frame that a bot's Stream connection received and already ACKed (docs/dingtalk/stream-mode.md). */
export interface StreamCallback {
  botId: number;
  storeId: number;
  /** The frame's `headers.topic`, e.g. `/v1.0/im/bot/messages/get`. */
  topic: string;
  /** The frame's `headers.messageId` (the delivery); the bot message's own id is `msgId` inside `data`. */
  messageId: string;
  /** The frame's `data`: a JSON string (for bot messages: docs/dingtalk/stream-mode.md). */
  data: string;
}

export interface StreamCallbackHandler {
  handle(callback: StreamCallback): Promise<void>;
}

/**
 * Hands the callbacks a connection receives to whoever understands them (the receiving side registers itself at
 * start-up), so that the connection layer does not depend on what the messages mean.
 */
@Injectable()
export class StreamCallbackRouter {
  private readonly logger = new Logger(StreamCallbackRouter.name);
  private handler: StreamCallbackHandler | null = null;

  setHandler(handler: StreamCallbackHandler): void {
    this.handler = handler;
  }

  async dispatch(callback: StreamCallback): Promise<void> {
    if (!this.handler) {
      this.logger.warn(
        `No handler for stream callbacks; dropped ${callback.topic} for bot ${callback.botId}`,
      );
      return;
    }
    await this.handler.handle(callback);
  }
}
