import { BotStatusResponse } from '../dingtalk-bot/dto/bot-status.response';
import { StreamAppState } from './stream-app.supervisor';
import { AppLeaseRow } from './stream-lease.repository';

/**
 * An app's connection as the whole cluster sees it: the instance holding it (null: none does), since when, and the
 * connection's state (null: no connection anywhere, so `disconnected`).
 */
export interface ClusterConnectionState {
  instanceId: string | null;
  heldSince: number | null;
  state: StreamAppState | null;
}

/** No instance holds the app's connection. */
export const NOT_HELD: ClusterConnectionState = { instanceId: null, heldSince: null, state: null };

/**
 * An app's connection as its holder last wrote it onto the lease, while that lease is valid at `now`; no lease, or an
 * expired one (its instance died), means nobody holds the app until another instance takes it.
 */
export function stateOnLease(row: AppLeaseRow | undefined, now: number): ClusterConnectionState {
  if (!row || row.expires_at.getTime() < now) {
    return NOT_HELD;
  }
  return {
    instanceId: row.instance_id,
    heldSince: row.acquired_at?.getTime() ?? null,
    state: {
      status: row.connection_status ?? 'connecting',
      statusSince: (row.status_since ?? row.acquired_at ?? row.expires_at).getTime(),
      connectedSince: row.connected_since?.getTime() ?? null,
      lastMessageTime: row.last_message_time?.getTime() ?? null,
      lastError: row.last_error,
      reconnectCount: row.reconnect_count ?? 0,
    },
  };
}

/** A stream bot's part of `GET /dingtalk-bots/:id/status`: its app's connection. */
export function connectionStatusFields({
  instanceId,
  state,
}: ClusterConnectionState): Partial<BotStatusResponse> {
  if (!state) return { connection_status: 'disconnected' };
  return {
    connection_status: state.status,
    instance_id: instanceId,
    status_since: iso(state.statusSince),
    connected_since: iso(state.connectedSince),
    last_message_time: iso(state.lastMessageTime),
    last_error: state.lastError,
    reconnect_count: state.reconnectCount,
  };
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
