import { Module } from '@nestjs/common';
import { DingTalkModule } from '../../dingtalk/dingtalk.module';
import { BotSenderRegistry } from './bot-sender.registry';

/**
 * The senders, one per bot kind (dingtalk-bot's kinds/), behind BotSenderRegistry; made in this module, whose imports
 * give them the DingTalk clients. Used by delivery and by the bots' test button.
 */
@Module({
  imports: [DingTalkModule],
  providers: [BotSenderRegistry],
  exports: [BotSenderRegistry],
})
export class BotSendersModule {}
