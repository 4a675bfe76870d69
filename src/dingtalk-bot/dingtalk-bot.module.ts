import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SecretBox } from '../common/crypto/secret-box';
import { BotStatusRegistry } from './bot-status.registry';
import { BotTestSenderPort } from './bot-test-sender';
import { DingTalkBotController } from './dingtalk-bot.controller';
import { DingTalkBotRepository } from './dingtalk-bot.repository';
import { DingTalkBotService } from './dingtalk-bot.service';
import { DingTalkBot } from './entities/dingtalk-bot.entity';

@Module({
  imports: [TypeOrmModule.forFeature([DingTalkBot])],
  controllers: [DingTalkBotController],
  providers: [DingTalkBotService, DingTalkBotRepository, BotStatusRegistry, BotTestSenderPort, SecretBox],
  exports: [DingTalkBotService, DingTalkBotRepository, BotStatusRegistry, BotTestSenderPort, TypeOrmModule],
})
export class DingTalkBotModule {}
