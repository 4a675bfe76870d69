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
    // The bot's targets may have changed since the last attempt: only what is left of them. When the targets that
    // missed the message were removed from the bot, nothing is left: the others have it already, and sending to
    // them again would deliver it twice.
    const targets = configured.filter((target) => !remaining || remaining.includes(target));
    if (targets.length === 0) return removedTargetOutcome(configured, remaining!);
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

/**
 * An earlier attempt reached `reached`; what it missed has been removed from the bot since. The notification ends
 * `failed` (as a stream bot with no target at all does, noTargetOutcome): not every place it was meant for got it,
 * and no later attempt can change that. `remaining` stays recorded, so a resend after the target is added back
 * sends there only.
 */
function removedTargetOutcome(
  reached: readonly DeliveryTarget[],
  remaining: readonly DeliveryTarget[],
): SendOutcome {
  const names = (targets: readonly DeliveryTarget[]) => targets.map((t) => TARGET_NAMES[t]).join(' and ');
  return {
    kind: 'permanent',
    httpStatus: null,
    errcode: null,
    errmsg: `Nothing left to send: ${names(remaining)} removed from the bot`,
    hint:
      `This message reached ${names(reached)}; ${names(remaining)}, which had not got it yet, ` +
      `${remaining.length > 1 ? 'were' : 'was'} removed from the bot before the retry, so nothing is left to send. ` +
      `To send it there, set ${remaining.map((t) => TARGET_FIELDS[t]).join(' and ')} again and resend it.`,
    latencyMs: 0,
    remainingTargets: [...remaining],
  };
}

const TARGET_NAMES: Record<DeliveryTarget, string> = { users: 'the users', group: 'the group' };
const TARGET_FIELDS: Record<DeliveryTarget, string> = { users: 'user_ids', group: 'open_conversation_id' };

const SEVERITY: Record<OutcomeKind, number> = {
  ok: 0,
  token_expired: 1,
  transient: 2,
  throttled: 3,
  permanent: 4,
};
