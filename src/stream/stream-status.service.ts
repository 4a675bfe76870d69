import { Injectable } from '@nestjs/common';
import { AuthUser } from '../auth/auth-user';
import { visibleStoreIds } from '../auth/store-scope';
import { ServiceInstanceRepository } from '../cluster/service-instance.repository';
import { StreamBotStatusResponse, StreamStatusResponse } from './dto/stream-status.response';
import { StreamConnectionService } from './stream-connection.service';
import { StreamLeaseRepository } from './stream-lease.repository';

/**
 * The stream bots a caller may see with their connections across the whole cluster: every instance answers the
 * same, from the leases (who holds each bot, and the state its holder last wrote) and the instances' heartbeats.
 */
@Injectable()
export class StreamStatusService {
  constructor(
    private readonly leases: StreamLeaseRepository,
    private readonly instances: ServiceInstanceRepository,
    private readonly connections: StreamConnectionService,
  ) {}

  async statusFor(user: AuthUser): Promise<StreamStatusResponse> {
    const stores = visibleStoreIds(user);
    const [rows, live] = await Promise.all([
      stores?.length === 0 ? [] : this.leases.streamBots({ storeIds: stores }),
      this.instances.live(),
    ]);
    const bots = rows.map((row): StreamBotStatusResponse => {
      const { instanceId, heldSince, state } = this.connections.clusterState(row);
      return {
        bot_id: row.bot_id,
        store_id: row.store_id,
        name: row.name,
        is_enabled: row.is_enabled,
        instance_id: instanceId,
        held_since: iso(heldSince),
        connection_status: state?.status ?? 'disconnected',
        status_since: iso(state?.statusSince ?? null),
        connected_since: iso(state?.connectedSince ?? null),
        last_message_time: iso(state?.lastMessageTime ?? null),
        last_error: state?.lastError ?? null,
        reconnect_count: state?.reconnectCount ?? 0,
      };
    });
    return {
      running: this.connections.isRunning,
      instance_id: this.instances.instanceId,
      bot_count: bots.length,
      connected_count: bots.filter((bot) => bot.connection_status === 'connected').length,
      instances: live.map((instance) => ({
        instance_id: instance.instance_id,
        started_at: instance.started_at.toISOString(),
        last_heartbeat_at: instance.last_heartbeat_at.toISOString(),
        bot_count: bots.filter((bot) => bot.instance_id === instance.instance_id).length,
      })),
      bots,
    };
  }
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
