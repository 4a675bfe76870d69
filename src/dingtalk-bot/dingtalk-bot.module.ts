import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SecretBox } from '../common/crypto/secret-box';
import { BotSendersModule } from '../notify/senders/bot-senders.module';
import { BotStatusRegistry } from './bot-status.registry';
import { DingTalkBotController } from './dingtalk-bot.controller';
import { DingTalkBotService } from './dingtalk-bot.service';
import { DingTalkBot } from './entities/dingtalk-bot.entity';

@Module({
  imports: [TypeOrmModule.forFeature([DingTalkBot]), BotSendersModule],
  controllers: [DingTalkBotController],
  providers: [DingTalkBotService, BotStatusRegistry, SecretBox],
  exports: [DingTalkBotService, BotStatusRegistry, TypeOrmModule],
})
export class DingTalkBotModule {}
