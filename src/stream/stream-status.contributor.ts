import { Injectable } from '@nestjs/common';
import { botKind } from '../dingtalk-bot/bot-kinds';
import { BotStatusContributor } from '../dingtalk-bot/bot-status.service';
import { BotStatusResponse } from '../dingtalk-bot/dto/bot-status.response';
import { DingTalkBot } from '../dingtalk-bot/entities/dingtalk-bot.entity';
import { connectionStatusFields } from './cluster-connection-state';
import { StreamConnectionService } from './stream-connection.service';
import { StreamLeaseRepository } from './stream-lease.repository';

/**
 * A stream bot's part of `GET /dingtalk-bots/:id/status`: its app's connection, for the whole cluster (bound in
 * src/composition.module.ts). A disabled bot has none of its own: `disconnected`, whatever its app's state.
 */
@Injectable()
export class StreamStatusContributor implements BotStatusContributor {
  constructor(
    private readonly connections: StreamConnectionService,
    private readonly leases: StreamLeaseRepository,
  ) {}

  async contribute(bot: DingTalkBot): Promise<Partial<BotStatusResponse>> {
    if (!botKind(bot.botType).connection) return {};
    if (!bot.isEnabled || bot.appId === null) return { connection_status: 'disconnected' };
    const leases = await this.leases.leasesOf([bot.appId]);
    return connectionStatusFields(this.connections.clusterState(bot.appId, leases.get(bot.appId)));
  }
}
