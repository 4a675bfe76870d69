import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DingTalkAppModule } from '../../dingtalk-app/dingtalk-app.module';
import { DingTalkBotModule } from '../../dingtalk-bot/dingtalk-bot.module';
import { DingTalkModule } from '../../dingtalk/dingtalk.module';
import { KitchenConfirmationModule } from '../../kitchen-confirmation/kitchen-confirmation.module';
import { MenuReportModule } from '../../menu-report/menu-report.module';
import { StreamModule } from '../stream.module';
import { BotCommands } from './bot-commands';
import { BotMessageHandler } from './bot-message.handler';
import { BotReplier } from './bot-replier';
import { CardCallbackHandler } from './card-callback.handler';
import { CardClicksRepository } from './card-clicks.repository';
import { ReceivedBotMessage } from './entities/received-bot-message.entity';
import { MessageRouter } from './message-router';
import { ReceivedMessageRepository } from './received-message.repository';
import { RoutingRepository } from './routing.repository';
import { StreamCallbackRouter } from './stream-callback.router';

/**
 * The receiving side of stream bots: StreamCallbackRouter takes the connections' callbacks (the stream module's
 * StreamCallbacks port, bound in src/composition.module.ts) to BotMessageHandler (staff's messages) or
 * CardCallbackHandler (presses of a card's buttons, recorded by the kitchen confirmation).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([ReceivedBotMessage]),
    StreamModule,
    DingTalkAppModule,
    DingTalkBotModule,
    MenuReportModule,
    DingTalkModule,
    KitchenConfirmationModule,
  ],
  providers: [
    BotMessageHandler,
    BotCommands,
    BotReplier,
    MessageRouter,
    ReceivedMessageRepository,
    RoutingRepository,
    CardCallbackHandler,
    CardClicksRepository,
    StreamCallbackRouter,
  ],
  exports: [StreamCallbackRouter],
})
export class ReceivingModule {}
