import { Injectable } from '@nestjs/common';
import { outcome } from '../../../dingtalk/dingtalk-outcome';
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
    if (message.msgType === 'card') return cardRefused();
    const outcome = await this.webhooks.send(bot.webhook, bot.secret, message, signal);
    return { ...outcome, remainingTargets: null };
  }
}

/**
 * A custom robot has no card API (docs/dingtalk/custom-robot.md): an interactive card needs a stream bot, whose app
 * creates and delivers it (docs/dingtalk/cards.md). Failed for good, saying so, rather than posted as its JSON.
 */
function cardRefused(): SendOutcome {
  return {
    ...outcome(
      'permanent',
      null,
      null,
      'A webhook bot cannot send an interactive card',
      'Interactive cards (kitchen confirmation) go through a stream bot with card_template_id set: a custom robot ' +
        '(webhook) has no card API. Send this store its reports through a stream bot, or switch its cards off.',
    ),
    remainingTargets: null,
  };
}
