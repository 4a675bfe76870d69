import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '../auth/auth-user';
import { visibleStoreIds } from '../auth/store-scope';
import { ServiceInstanceRepository } from '../cluster/service-instance.repository';
import { DingTalkAppService } from '../dingtalk-app/dingtalk-app.service';
import { StreamAppStatusResponse, StreamStatusResponse } from './dto/stream-status.response';
import { STREAM_BOTS, StreamBot, StreamBots } from './stream-bots';
import { StreamConnectionService } from './stream-connection.service';
import { StreamLeaseRepository } from './stream-lease.repository';

/**
 * The apps whose stream bots a caller may see, each with its one connection across the whole cluster and its bots
 * under it: every instance answers the same, from the leases (who holds each app, and the state its holder last
 * wrote) and the instances' heartbeats.
 */
@Injectable()
export class StreamStatusService {
  constructor(
    @Inject(STREAM_BOTS) private readonly streamBots: StreamBots,
    private readonly apps: DingTalkAppService,
    private readonly leases: StreamLeaseRepository,
    private readonly instances: ServiceInstanceRepository,
    private readonly connections: StreamConnectionService,
  ) {}

  async statusFor(user: AuthUser): Promise<StreamStatusResponse> {
    const stores = visibleStoreIds(user);
    const [bots, live] = await Promise.all([
      stores?.length === 0 ? [] : this.streamBots.streamBots({ storeIds: stores }),
      this.instances.live(),
    ]);
    const byApp = new Map<number, StreamBot[]>();
    for (const bot of bots) {
      if (bot.appId !== null) byApp.set(bot.appId, [...(byApp.get(bot.appId) ?? []), bot]);
    }
    const appIds = [...byApp.keys()].sort((a, b) => a - b);
    const [apps, leases] = await Promise.all([this.apps.byIds(appIds), this.leases.leasesOf(appIds)]);
    const listed = appIds.flatMap((appId): StreamAppStatusResponse[] => {
      const app = apps.get(appId);
      if (!app) return [];
      const { instanceId, heldSince, state } = this.connections.clusterState(appId, leases.get(appId));
      return [
        {
          app_id: appId,
          name: app.name,
          client_id: app.clientId,
          instance_id: instanceId,
          held_since: iso(heldSince),
          connection_status: state?.status ?? 'disconnected',
          status_since: iso(state?.statusSince ?? null),
          connected_since: iso(state?.connectedSince ?? null),
          last_message_time: iso(state?.lastMessageTime ?? null),
          last_error: state?.lastError ?? null,
          reconnect_count: state?.reconnectCount ?? 0,
          bots: byApp.get(appId)!.map((bot) => ({
            bot_id: bot.id,
            store_id: bot.storeId,
            name: bot.name,
            is_enabled: bot.isEnabled,
            open_conversation_id: bot.openConversationId,
          })),
        },
      ];
    });
    return {
      running: this.connections.isRunning,
      instance_id: this.instances.instanceId,
      app_count: listed.length,
      connected_count: listed.filter((app) => app.connection_status === 'connected').length,
      bot_count: listed.reduce((count, app) => count + app.bots.length, 0),
      instances: live.map((instance) => ({
        instance_id: instance.instance_id,
        started_at: instance.started_at.toISOString(),
        last_heartbeat_at: instance.last_heartbeat_at.toISOString(),
        app_count: listed.filter((app) => app.instance_id === instance.instance_id).length,
      })),
      apps: listed,
    };
  }
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
