import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DingTalkAppModule } from '../../dingtalk-app/dingtalk-app.module';
import { DingTalkBotModule } from '../../dingtalk-bot/dingtalk-bot.module';
import { DingTalkModule } from '../../dingtalk/dingtalk.module';
import { MenuReportModule } from '../../menu-report/menu-report.module';
import { StreamModule } from '../stream.module';
import { BotCommands } from './bot-commands';
import { BotMessageHandler } from './bot-message.handler';
import { BotReplier } from './bot-replier';
import { ReceivedBotMessage } from './entities/received-bot-message.entity';
import { MessageRouter } from './message-router';
import { ReceivedMessageRepository } from './received-message.repository';
import { RoutingRepository } from './routing.repository';

/**
 * The receiving side of stream bots: BotMessageHandler handles the connections' callbacks (the stream module's
 * StreamCallbacks port, bound in src/composition.module.ts).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([ReceivedBotMessage]),
    StreamModule,
    DingTalkAppModule,
    DingTalkBotModule,
    MenuReportModule,
    DingTalkModule,
  ],
  providers: [
    BotMessageHandler,
    BotCommands,
    BotReplier,
    MessageRouter,
    ReceivedMessageRepository,
    RoutingRepository,
  ],
  exports: [BotMessageHandler],
})
export class ReceivingModule {}
