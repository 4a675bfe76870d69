import { Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SecretBox } from '../common/crypto/secret-box';
import { DingTalkAppModule } from '../dingtalk-app/dingtalk-app.module';
import { BotApps } from './bot-app';
import { BotSecrets } from './bot-secrets';
import { BOT_CONNECTIONS, BotConnections } from './bot-connections';
import { BotStatusService } from './bot-status.service';
import { BotsOfApp } from './bots-of-app';
import { DingTalkBotController } from './dingtalk-bot.controller';
import { DingTalkBotRepository } from './dingtalk-bot.repository';
import { DingTalkBotService } from './dingtalk-bot.service';
import { DingTalkBot } from './entities/dingtalk-bot.entity';

@Module({
  imports: [TypeOrmModule.forFeature([DingTalkBot]), DingTalkAppModule],
  controllers: [DingTalkBotController],
  providers: [
    DingTalkBotService,
    DingTalkBotRepository,
    BotStatusService,
    BotApps,
    BotSecrets,
    BotsOfApp,
    SecretBox,
  ],
  exports: [DingTalkBotService, DingTalkBotRepository, BotsOfApp, TypeOrmModule],
})
export class DingTalkBotModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(BOT_CONNECTIONS) private readonly connections: BotConnections) {}

  /** After this module's providers' own start (bots saved before robots had keys are keyed first). */
  onApplicationBootstrap(): void {
    this.connections.start();
  }

  /**
   * In onApplicationShutdown, not before it: by now the dispatcher's clean stop has let every send in flight end,
   * the messages being handled are answered and the scheduler's jobs (the lease renewal) have stopped. The
   * database closes after (its module is global, and global modules shut down last), so leases are released.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.connections.stop();
  }
}
