import { Injectable } from '@nestjs/common';
import { AuthUser } from '../../auth/auth-user';
import { storesToList } from '../../auth/store-scope';
import { Page } from '../../common/http/pagination.dto';
import { BotAlertResponse, ListBotAlertsQuery } from '../dto/bot-alert.dto';
import { AlertFacts } from '../messages/alert-message';
import { AlertsRepository } from './alerts.repository';

/** The alerts sent, for the stores a caller manages. */
@Injectable()
export class BotAlertsService {
  constructor(private readonly alerts: AlertsRepository) {}

  async list(user: AuthUser, query: ListBotAlertsQuery): Promise<Page<BotAlertResponse>> {
    const stores = storesToList(user, query.store_id);
    if (stores?.length === 0) return new Page([], 0, query);
    const { items, total } = await this.alerts.list(
      { botId: query.bot_id, storeIds: stores },
      (query.page - 1) * query.page_size,
      query.page_size,
    );
    return new Page(items.map(toResponse), total, query);
  }
}

function toResponse(alert: AlertFacts): BotAlertResponse {
  return {
    id: alert.id,
    type: alert.type,
    bot_id: alert.botId,
    bot_name: alert.botName,
    store_id: alert.storeId,
    health: alert.health,
    health_reason: alert.reason,
    health_detail: alert.detail,
    health_hint: alert.hint,
    health_since: alert.since.toISOString(),
    created_at: alert.createdAt.toISOString(),
  };
}
