import { Injectable } from '@nestjs/common';
import { BotWithSecrets } from '../../dingtalk-bot/bot-fields';
import { OutgoingMessage } from '../../dingtalk/outgoing-message';
import { WebhookClient } from '../../dingtalk/webhook.client';
import { BotSender, SendOutcome } from './bot-sender';

/** Custom group robots: a signed POST to the webhook, mentioning `at_mobiles` / everyone as configured. */
@Injectable()
export class WebhookSender implements BotSender {
  readonly botType = 'webhook' as const;

  constructor(private readonly webhooks: WebhookClient) {}

  async send(bot: BotWithSecrets, message: OutgoingMessage, signal?: AbortSignal): Promise<SendOutcome> {
    if (!bot.webhook) throw new Error(`Bot ${bot.id} is a webhook bot without a webhook`);
    const outcome = await this.webhooks.send(
      bot.webhook,
      bot.secret,
      {
        ...message,
        atMobiles: message.atMobiles ?? bot.atMobiles,
        atAll: message.atAll ?? bot.atAll,
      },
      signal,
    );
    return { ...outcome, remainingTargets: null };
  }
}
