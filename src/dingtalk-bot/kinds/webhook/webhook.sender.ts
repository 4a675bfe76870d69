import { Injectable } from '@nestjs/common';
import { OutgoingMessage } from '../../../dingtalk/outgoing-message';
import { WebhookClient } from '../../../dingtalk/webhook.client';
import { BotWithSecrets } from '../../bot-fields';
import { BotSender, SendOutcome } from '../../bot-sender';

/** Custom group robots: a signed POST to the webhook, with the message's mentions (at_mobiles / everyone). */
@Injectable()
export class WebhookSender implements BotSender {
  constructor(private readonly webhooks: WebhookClient) {}

  async send(bot: BotWithSecrets, message: OutgoingMessage, signal?: AbortSignal): Promise<SendOutcome> {
    if (!bot.webhook) throw new Error(`Bot ${bot.id} is a webhook bot without a webhook`);
    const outcome = await this.webhooks.send(bot.webhook, bot.secret, message, signal);
    return { ...outcome, remainingTargets: null };
  }
}
