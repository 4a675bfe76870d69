import { Injectable } from '@nestjs/common';
import { BotWithSecrets } from '../../dingtalk-bot/bot-fields';
import { AppMessagingClient } from '../../dingtalk/app-messaging.client';
import { DingTalkOutcome, noTargetOutcome, OutcomeKind } from '../../dingtalk/dingtalk-outcome';
import { OutgoingMessage } from '../../dingtalk/outgoing-message';
import { BotSender, DeliveryTarget, SendOutcome } from './bot-sender';

/**
 * Enterprise-app robots: a work notification to `user_ids` and/or a robot message to the group
 * `open_conversation_id`, with the app's access token. With both targets the worse outcome is reported, and the
 * targets that did not take the message are named, so that a retry goes to them only: the users or the group that
 * got it do not get it twice.
 */
@Injectable()
export class StreamSender implements BotSender {
  readonly botType = 'stream' as const;

  constructor(private readonly apps: AppMessagingClient) {}

  async send(
    bot: BotWithSecrets,
    message: OutgoingMessage,
    signal?: AbortSignal,
    remaining?: readonly DeliveryTarget[] | null,
  ): Promise<SendOutcome> {
    if (!bot.clientId || !bot.clientSecret)
      throw new Error(`Bot ${bot.id} is a stream bot without credentials`);
    const app = { clientId: bot.clientId, clientSecret: bot.clientSecret, agentId: bot.agentId };
    const withMentions = { ...message, atUserIds: message.atUserIds ?? bot.atUserIds };
    const configured: DeliveryTarget[] = [
      ...(bot.userIds.length > 0 ? (['users'] as const) : []),
      ...(bot.openConversationId ? (['group'] as const) : []),
    ];
    if (configured.length === 0) return { ...noTargetOutcome(), remainingTargets: null };
    // The bot's targets may have changed since the last attempt: what is left of them, or (none left) all of them.
    const left = configured.filter((target) => !remaining || remaining.includes(target));
    const targets = left.length > 0 ? left : configured;
    const outcomes = new Map<DeliveryTarget, DingTalkOutcome>();
    for (const target of targets) {
      outcomes.set(
        target,
        target === 'users'
          ? await this.apps.sendWorkNotification(app, bot.userIds, withMentions, signal)
          : await this.apps.sendGroupMessage(app, bot.openConversationId!, withMentions, signal),
      );
    }
    const worst = [...outcomes.values()].reduce((worse, next) =>
      SEVERITY[next.kind] > SEVERITY[worse.kind] ? next : worse,
    );
    const missed = targets.filter((target) => outcomes.get(target)!.kind !== 'ok');
    return {
      ...worst,
      remainingTargets: missed.length > 0 && missed.length < configured.length ? missed : null,
    };
  }
}

const SEVERITY: Record<OutcomeKind, number> = {
  ok: 0,
  token_expired: 1,
  transient: 2,
  throttled: 3,
  permanent: 4,
};
