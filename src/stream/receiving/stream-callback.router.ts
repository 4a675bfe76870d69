import { Injectable, Logger } from '@nestjs/common';
import { TOPIC_CARD_CALLBACK } from '../../dingtalk/stream/stream-frames';
import { StreamCallback, StreamCallbackHandler } from '../stream-callback';
import { BotMessageHandler, TOPIC_BOT_MESSAGE } from './bot-message.handler';
import { CardCallbackHandler } from './card-callback.handler';

/**
 * The receiving side's answer to the connections' callbacks (the StreamCallbacks port): each topic the service
 * subscribes to (stream-frames.ts) to its handler, bot messages and card clicks.
 */
@Injectable()
export class StreamCallbackRouter implements StreamCallbackHandler {
  private readonly logger = new Logger(StreamCallbackRouter.name);

  constructor(
    private readonly botMessages: BotMessageHandler,
    private readonly cardClicks: CardCallbackHandler,
  ) {}

  handle(callback: StreamCallback): Promise<void> {
    switch (callback.topic) {
      case TOPIC_BOT_MESSAGE:
        return this.botMessages.handle(callback);
      case TOPIC_CARD_CALLBACK:
        return this.cardClicks.handle(callback);
      default:
        this.logger.debug(
          `Ignored stream callback topic=${callback.topic} app_id=${callback.appId} message_id=${callback.messageId}`,
        );
        return Promise.resolve();
    }
  }
}
