import { Injectable } from '@nestjs/common';
import { SecretBox } from '../common/crypto/secret-box';
import { DingTalkApp } from '../dingtalk-app/entities/dingtalk-app.entity';
import { BotApps } from './bot-app';
import { BotFields, BotWithSecrets } from './bot-fields';
import { SealedBot } from './dingtalk-bot.repository';

/** Stored bots in plain form: their sealed webhook and secret opened (SecretBox), their apps' secrets too. */
@Injectable()
export class BotSecrets {
  constructor(
    private readonly secrets: SecretBox,
    private readonly apps: BotApps,
  ) {}

  /** A stored bot's fields, its own secrets opened. */
  open(bot: SealedBot): BotFields {
    return {
      name: bot.name,
      storeId: bot.storeId,
      botType: bot.botType,
      msgType: bot.msgType,
      isEnabled: bot.isEnabled,
      webhook: this.secrets.openOptional(bot.sealedWebhook),
      secret: this.secrets.openOptional(bot.sealedSecret),
      atMobiles: bot.atMobiles,
      atAll: bot.atAll,
      appId: bot.appId,
      userIds: bot.userIds,
      openConversationId: bot.openConversationId,
      atUserIds: bot.atUserIds,
      cardTemplateId: bot.cardTemplateId,
      rateLimitPerMinute: bot.rateLimitPerMinute,
      templateId: bot.templateId,
      dailySummaryAt: bot.dailySummaryAt,
    };
  }

  /** A stored bot with its secrets opened, and its app's (read). */
  async withSecrets(bot: SealedBot): Promise<BotWithSecrets> {
    return this.opened(bot, await this.apps.of(bot));
  }

  /** Stored bots with their secrets opened, by id; their apps read in one statement (none without an app). */
  async allWithSecrets(bots: readonly SealedBot[]): Promise<Map<number, BotWithSecrets>> {
    const apps = await this.apps.ofAll(bots);
    return new Map(
      bots.map((bot) => [
        bot.id,
        this.opened(bot, bot.appId === null ? null : (apps.get(bot.appId) ?? null)),
      ]),
    );
  }

  private opened(bot: SealedBot, app: DingTalkApp | null): BotWithSecrets {
    return { id: bot.id, ...this.open(bot), app: app && this.apps.credentials(app) };
  }
}
