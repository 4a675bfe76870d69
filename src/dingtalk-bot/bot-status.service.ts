import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '../auth/auth-user';
import { Port, port } from '../common/port';
import { botKind } from './bot-kinds';
import { DingTalkBotService } from './dingtalk-bot.service';
import { healthFields } from './dto/bot-health.fields';
import { BotStatusResponse } from './dto/bot-status.response';
import { DingTalkBot } from './entities/dingtalk-bot.entity';

/** A part of a bot's status that another module knows (the Stream connection, the delivery queue). */
export interface BotStatusContributor {
  contribute(bot: DingTalkBot): Promise<Partial<BotStatusResponse>> | Partial<BotStatusResponse>;
}

/**
 * The parts of a bot's status: a port of several parts this module declares, so that it does not depend on the
 * modules that know them (they depend on it). Bound in src/composition.module.ts to each module's contributor.
 */
export const BOT_STATUS_CONTRIBUTORS: Port<readonly BotStatusContributor[]> =
  port<readonly BotStatusContributor[]>('BotStatusContributors');

/**
 * The status of a bot, collected from the modules that know it. Apart from DingTalkBotService: the Stream connection's
 * part comes from the stream module, which itself reads bots through that service.
 */
@Injectable()
export class BotStatusService {
  constructor(
    private readonly bots: DingTalkBotService,
    @Inject(BOT_STATUS_CONTRIBUTORS) private readonly contributors: readonly BotStatusContributor[],
  ) {}

  async status(user: AuthUser, id: number): Promise<BotStatusResponse> {
    return this.statusOf(await this.bots.findVisible(user, id));
  }

  private async statusOf(bot: DingTalkBot): Promise<BotStatusResponse> {
    const status: BotStatusResponse = {
      bot_id: bot.id,
      bot_type: bot.botType,
      is_enabled: bot.isEnabled,
      connection_status: botKind(bot.botType).connection ? 'disconnected' : 'not_applicable',
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
      ...healthFields(undefined),
    };
    for (const contributor of this.contributors) Object.assign(status, await contributor.contribute(bot));
    return status;
  }
}
