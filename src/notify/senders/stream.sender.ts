import { Injectable } from '@nestjs/common';
import { BotWithSecrets } from '../../dingtalk-bot/bot-fields';
import { AppMessagingClient } from '../../dingtalk/app-messaging.client';
import { DingTalkOutcome, noTargetOutcome, OutcomeKind } from '../../dingtalk/dingtalk-outcome';
import { OutgoingMessage } from '../../dingtalk/outgoing-message';
import { BotSender } from './bot-sender';

/**
 * Enterprise-app robots: a work notification to `user_ids` and/or a robot message to the group
 * `open_conversation_id`, with the app's access token. With both targets the worse outcome is reported.
 */
@Injectable()
export class StreamSender implements BotSender {
  readonly botType = 'stream' as const;

  constructor(private readonly apps: AppMessagingClient) {}

  async send(bot: BotWithSecrets, message: OutgoingMessage, signal?: AbortSignal): Promise<DingTalkOutcome> {
    if (!bot.clientId || !bot.clientSecret)
      throw new Error(`Bot ${bot.id} is a stream bot without credentials`);
    const app = { clientId: bot.clientId, clientSecret: bot.clientSecret, agentId: bot.agentId };
    const withMentions = { ...message, atUserIds: message.atUserIds ?? bot.atUserIds };
    const outcomes: DingTalkOutcome[] = [];
    if (bot.userIds.length > 0)
      outcomes.push(await this.apps.sendWorkNotification(app, bot.userIds, withMentions, signal));
    if (bot.openConversationId)
      outcomes.push(await this.apps.sendGroupMessage(app, bot.openConversationId, withMentions, signal));
    if (outcomes.length === 0) return noTargetOutcome();
    return outcomes.reduce((worst, next) => (SEVERITY[next.kind] > SEVERITY[worst.kind] ? next : worst));
  }
}

const SEVERITY: Record<OutcomeKind, number> = {
  ok: 0,
  token_expired: 1,
  transient: 2,
  throttled: 3,
  permanent: 4,
};
