import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { FindOptionsWhere, In, Repository } from 'typeorm';
import { AuthUser } from '../auth/auth-user';
import { visibleStoreIds } from '../auth/store-scope';
import { DingTalkBot } from '../dingtalk-bot/entities/dingtalk-bot.entity';
import { StreamBotStatusResponse, StreamStatusResponse } from './dto/stream-status.response';
import { StreamConnectionService } from './stream-connection.service';

/** Joins the stored stream bots a caller may see with the connections this instance keeps. */
@Injectable()
export class StreamStatusService {
  constructor(
    @InjectRepository(DingTalkBot) private readonly bots: Repository<DingTalkBot>,
    private readonly connections: StreamConnectionService,
  ) {}

  async statusFor(user: AuthUser): Promise<StreamStatusResponse> {
    const stores = visibleStoreIds(user);
    const where: FindOptionsWhere<DingTalkBot> = { botType: 'stream' };
    if (stores) where.storeId = In([...stores]);
    const rows = stores?.length === 0 ? [] : await this.bots.find({ where, order: { id: 'ASC' } });
    const bots = rows.map((bot): StreamBotStatusResponse => {
      const state = this.connections.stateOf(bot.id);
      return {
        bot_id: bot.id,
        store_id: bot.storeId,
        name: bot.name,
        is_enabled: bot.isEnabled,
        connection_status: state?.status ?? 'disconnected',
        connected_since: iso(state?.connectedSince ?? null),
        last_message_time: iso(state?.lastMessageTime ?? null),
        last_error: state?.lastError ?? null,
        reconnect_count: state?.reconnectCount ?? 0,
      };
    });
    return {
      running: this.connections.isRunning,
      bot_count: bots.length,
      connected_count: bots.filter((bot) => bot.connection_status === 'connected').length,
      bots,
    };
  }
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
