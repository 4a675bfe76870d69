import { Module } from '@nestjs/common';
import { ClusterModule } from '../cluster/cluster.module';
import { DingTalkAppModule } from '../dingtalk-app/dingtalk-app.module';
import { DingTalkBotModule } from '../dingtalk-bot/dingtalk-bot.module';
import { DingTalkModule } from '../dingtalk/dingtalk.module';
import { StreamBotListener } from './listeners/stream-bot.listener';
import { StreamConnectionService } from './stream-connection.service';
import { StreamLeaseRepository } from './stream-lease.repository';
import { StreamStatusController } from './stream-status.controller';
import { StreamStatusContributor } from './stream-status.contributor';
import { StreamStatusService } from './stream-status.service';

/** The Stream connections of the apps of stream bots, one per app: lifecycle, supervision, status (docs/stream-connections.md). */
@Module({
  imports: [ClusterModule, DingTalkModule, DingTalkAppModule, DingTalkBotModule],
  controllers: [StreamStatusController],
  providers: [
    StreamConnectionService,
    StreamBotListener,
    StreamStatusService,
    StreamStatusContributor,
    StreamLeaseRepository,
  ],
  exports: [StreamConnectionService, StreamStatusContributor],
})
export class StreamModule {}
