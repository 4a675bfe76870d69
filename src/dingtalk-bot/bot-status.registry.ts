import { Injectable } from '@nestjs/common';
import { BotStatusResponse } from './dto/bot-status.response';
import { DingTalkBot } from './entities/dingtalk-bot.entity';

/** A part of a bot's status that another module knows (the Stream connection, the delivery queue). */
export interface BotStatusContributor {
  contribute(bot: DingTalkBot): Promise<Partial<BotStatusResponse>> | Partial<BotStatusResponse>;
}

/**
 * Collects the status of a bot from the modules that know it. They register themselves at start-up, so this
 * module does not depend on them (they depend on it).
 */
@Injectable()
export class BotStatusRegistry {
  private readonly contributors: BotStatusContributor[] = [];

  register(contributor: BotStatusContributor): void {
    this.contributors.push(contributor);
  }

  async statusOf(bot: DingTalkBot): Promise<BotStatusResponse> {
    const status: BotStatusResponse = {
      bot_id: bot.id,
      bot_type: bot.botType,
      is_enabled: bot.isEnabled,
      connection_status: bot.botType === 'webhook' ? 'not_applicable' : 'disconnected',
      instance_id: null,
      status_since: null,
      connected_since: null,
      last_message_time: null,
      last_error: null,
      reconnect_count: 0,
      last_delivery_at: null,
      last_delivery_status: null,
      pending_notifications: 0,
      rate_limited_until: null,
      pause_hint: null,
    };
    for (const contributor of this.contributors) Object.assign(status, await contributor.contribute(bot));
    return status;
  }
}
