import { Module } from '@nestjs/common';
import { ClusterModule } from '../cluster/cluster.module';
import { DingTalkBotModule } from '../dingtalk-bot/dingtalk-bot.module';
import { DingTalkModule } from '../dingtalk/dingtalk.module';
import { StreamBotListener } from './listeners/stream-bot.listener';
import { StreamCallbackRouter } from './stream-callback';
import { StreamConnectionService } from './stream-connection.service';
import { StreamLeaseRepository } from './stream-lease.repository';
import { StreamStatusController } from './stream-status.controller';
import { StreamStatusService } from './stream-status.service';

/** The Stream connections of stream bots: lifecycle, supervision, status (docs/stream-connections.md). */
@Module({
  imports: [ClusterModule, DingTalkModule, DingTalkBotModule],
  controllers: [StreamStatusController],
  providers: [
    StreamConnectionService,
    StreamCallbackRouter,
    StreamBotListener,
    StreamStatusService,
    StreamLeaseRepository,
  ],
  exports: [StreamConnectionService, StreamCallbackRouter],
})
export class StreamModule {}
