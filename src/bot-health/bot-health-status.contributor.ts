import { Injectable } from '@nestjs/common';
import { BotStatusContributor } from '../dingtalk-bot/bot-status.service';
import { healthFields } from '../dingtalk-bot/dto/bot-health.fields';
import { BotStatusResponse } from '../dingtalk-bot/dto/bot-status.response';
import { DingTalkBot } from '../dingtalk-bot/entities/dingtalk-bot.entity';
import { BotHealthRepository } from './bot-health.repository';

/** A bot's health in `GET /dingtalk-bots/:id/status` (bound in src/composition.module.ts). */
@Injectable()
export class BotHealthStatusContributor implements BotStatusContributor {
  constructor(private readonly health: BotHealthRepository) {}

  async contribute(bot: DingTalkBot): Promise<Partial<BotStatusResponse>> {
    const health = await this.health.healthOf([bot.id]);
    return healthFields(health.get(bot.id));
  }
}
