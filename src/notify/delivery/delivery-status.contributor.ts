import { Injectable } from '@nestjs/common';
import { BotStatusContributor } from '../../dingtalk-bot/bot-status.service';
import { BotStatusResponse } from '../../dingtalk-bot/dto/bot-status.response';
import { DingTalkBot } from '../../dingtalk-bot/entities/dingtalk-bot.entity';
import { DeliveryStateRepository } from './queue/delivery-state.repository';

/** The delivery fields of a bot's status: last delivery, backlog, throttle pause (bound in src/composition.module.ts). */
@Injectable()
export class DeliveryStatusContributor implements BotStatusContributor {
  constructor(private readonly queue: DeliveryStateRepository) {}

  async contribute(bot: DingTalkBot): Promise<Partial<BotStatusResponse>> {
    const state = await this.queue.botState(bot.id);
    return {
      last_delivery_at: state.lastDeliveryAt?.toISOString() ?? null,
      last_delivery_status: state.lastDeliveryStatus,
      pending_notifications: state.pending,
      rate_limited_until: state.rateLimitedUntil?.toISOString() ?? null,
      pause_hint: state.pauseHint,
    };
  }
}
