import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppBots, AppIdentity } from '../dingtalk-app/app-bots';
import { BotSnapshot } from '../events/dingtalk-bot.events';
import { botKind } from './bot-kinds';
import { snapshot } from './dingtalk-bot.service';
import { DingTalkBot } from './entities/dingtalk-bot.entity';

/**
 * The bots of an app follow it when it changes (dingtalk-app's AppBots port, bound in src/composition.module.ts):
 * a new version each, which the delivery's credentials cache compares at every claim on every instance, so no send
 * goes out with the app's former secret once the change is committed; each robot key from the app's AgentId, and
 * the copy of that AgentId (DingTalkBot.agentId).
 */
@Injectable()
export class BotsOfApp implements AppBots {
  async followApp(manager: EntityManager, app: AppIdentity): Promise<BotSnapshot[]> {
    const bots = await manager.find(DingTalkBot, {
      where: { appId: app.id },
      order: { id: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
    for (const bot of bots) {
      // The robot keys come from the app's ids and the bot's group; the secret is no part of them.
      const keys = botKind(bot.botType).robot({ ...bot, webhook: null, secret: null, app });
      if (keys.robotKey !== bot.robotKey || keys.appKey !== bot.appKey)
        await manager.update(DingTalkBot, { id: bot.id }, keys);
    }
    await manager
      .createQueryBuilder()
      .update(DingTalkBot)
      .set({ agentId: app.agentId, updatedAt: () => 'now()' })
      .where({ appId: app.id })
      .execute();
    return bots.map(snapshot);
  }
}
