import { Module } from '@nestjs/common';
import { DingTalkModule } from '../../dingtalk/dingtalk.module';
import { BOT_SENDERS, BotSender } from './bot-sender';
import { BotSenderRegistry } from './bot-sender.registry';
import { StreamSender } from './stream.sender';
import { WebhookSender } from './webhook.sender';

/** The senders, one per bot type, behind BotSenderRegistry. Used by delivery and by the bots' test button. */
@Module({
  imports: [DingTalkModule],
  providers: [
    WebhookSender,
    StreamSender,
    {
      provide: BOT_SENDERS,
      inject: [WebhookSender, StreamSender],
      useFactory: (...senders: BotSender[]) => senders,
    },
    BotSenderRegistry,
  ],
  exports: [BotSenderRegistry],
})
export class BotSendersModule {}
