import { Injectable } from '@nestjs/common';
import { AppCredentials } from '../../../dingtalk/app-credentials';
import { AppMessagingClient } from '../../../dingtalk/app-messaging.client';
import { CardClient } from '../../../dingtalk/card.client';
import { DingTalkOutcome, noTargetOutcome, outcome, OutcomeKind } from '../../../dingtalk/dingtalk-outcome';
import { cardParamMapOf, cardPlainMessageOf, OutgoingMessage } from '../../../dingtalk/outgoing-message';
import { RecipientOutcome } from '../../../dingtalk/recipient-outcomes';
import { BotWithSecrets } from '../../bot-fields';
import { BotSender, DeliveryTarget, SendOutcome, TargetStanding } from '../../bot-sender';
import { streamApp } from './stream-app';
import { judgeUsers, mergeRecipients, usersToReach, UsersVerdict } from './work-notification-recipients';

/**
 * Enterprise-app robots: a work notification to `user_ids` and/or a robot message (or an interactive card) to the
 * group `open_conversation_id`, with the app's access token. With both targets the worse outcome is reported, and the
 * targets that did not take the message are named, so that a retry goes to them only: the users or the group that
 * got it do not get it twice.
 */
@Injectable()
export class StreamSender implements BotSender {
  constructor(
    private readonly apps: AppMessagingClient,
    private readonly cards: CardClient,
  ) {}

  async send(
    bot: BotWithSecrets,
    message: OutgoingMessage,
    signal?: AbortSignal,
    remaining?: readonly DeliveryTarget[] | null,
    recipients?: readonly RecipientOutcome[] | null,
  ): Promise<SendOutcome> {
    const app = streamApp(bot);
    if (!app) throw new Error(`Bot ${bot.id} is a stream bot without credentials`);
    const route = message.msgType === 'card' ? this.cardRoute(bot, app, message, remaining, signal) : null;
    if (route && 'refused' in route) return route.refused;
    // What the users get: the message, or a card's plain rendition (none: a card row from before they had one).
    const forUsers = route ? route.forUsers : message;
    const configured: DeliveryTarget[] = [
      ...(bot.userIds.length > 0 && forUsers ? (['users'] as const) : []),
      ...(bot.openConversationId ? (['group'] as const) : []),
    ];
    if (configured.length === 0) return { ...noTargetOutcome(), remainingTargets: null };
    // The bot's targets may have changed since the last attempt: only what is left of them. When the targets that
    // missed the message were removed from the bot, nothing is left: the others have it already, and sending to
    // them again would deliver it twice.
    const targets = configured.filter((target) => !remaining || remaining.includes(target));
    if (targets.length === 0) return removedTargetOutcome(configured, remaining!);
    const outcomes = new Map<DeliveryTarget, DingTalkOutcome>();
    let users: UsersVerdict | null = null;
    let merged = recipients ? mergeRecipients(bot.userIds, recipients, null) : null;
    for (const target of targets) {
      if (target === 'users') {
        const sent = await this.sendToUsers(app, bot.userIds, forUsers!, recipients ?? null, signal);
        users = sent.verdict;
        merged = sent.recipients;
        outcomes.set(target, users.outcome);
      } else if (route) {
        outcomes.set(target, await route.toGroup(bot.openConversationId!));
      } else {
        outcomes.set(target, await this.apps.sendGroupMessage(app, bot.openConversationId!, message, signal));
      }
    }
    const worst = [...outcomes.values()].reduce((worse, next) =>
      SEVERITY[next.kind] > SEVERITY[worse.kind] ? next : worse,
    );
    const missed = targets.filter((target) => outcomes.get(target)!.kind !== 'ok');
    // The users an earlier attempt reached only in part stay so when this attempt went to the group alone.
    users ??= merged ? judgeUsers(okSoFar(), merged, null) : null;
    const standings = configured.map((target): TargetStanding => ({
      target,
      standing: missed.includes(target) ? 'missed' : target === 'users' && users ? users.standing : 'sent',
    }));
    return {
      ...worst,
      hint: worst.kind === 'ok' ? (users?.outcome.hint ?? worst.hint) : worst.hint,
      remainingTargets: missed.length > 0 && missed.length < configured.length ? missed : null,
      recipients: merged,
      targets: standings,
    };
  }

  /**
   * How a card message goes (docs/dingtalk/cards.md): to the group, an interactive card from the bot's card
   * template, created and delivered in one call of the card API (one call of the app's, as a group message is), its
   * clicks coming back over the app's Stream connection; to the bot's users, the card's plain rendition as their
   * work notification (cardPlainMessageOf): they cannot press anything in it, the group confirms. A card goes to the
   * group only because the point of it is that everyone there sees who confirmed. The two are the notification's
   * two targets, recorded and retried apart as any stream message's are: a retry of the users' part never makes a
   * second card, and a retry of the card never sends the users another notification. The outTrackId is the
   * notification's, so a retry of the card finds the card an earlier attempt made. Refused when the card cannot go
   * to the group as the bot is set up, unless an earlier attempt delivered it there already.
   */
  private cardRoute(
    bot: BotWithSecrets,
    app: AppCredentials,
    message: OutgoingMessage,
    remaining: readonly DeliveryTarget[] | null | undefined,
    signal?: AbortSignal,
  ):
    | { refused: SendOutcome }
    | { forUsers: OutgoingMessage | null; toGroup: (group: string) => Promise<DingTalkOutcome> } {
    const outTrackId = message.outTrackId;
    if (!outTrackId) throw new Error('A card needs its outTrackId');
    const cardParamMap = cardParamMapOf(message);
    const forUsers = cardPlainMessageOf(message);
    const groupLeft = !remaining || remaining.includes('group');
    if (groupLeft && !bot.cardTemplateId) return { refused: cardRefused(CARD_HINTS.noTemplate, remaining) };
    // A group removed after an earlier attempt reached the users is said as any removed target is (below).
    if (!remaining && !bot.openConversationId) return { refused: cardRefused(CARD_HINTS.noGroup, remaining) };
    return {
      forUsers,
      toGroup: async (group) =>
        (
          await this.cards.createAndDeliver(
            app,
            { outTrackId, templateId: bot.cardTemplateId!, cardParamMap },
            [{ spaceType: 'IM_GROUP', spaceId: group }],
            signal,
          )
        ).outcome,
    };
  }

  /** A work notification to the users who still lack it, and what became of it for each. */
  private async sendToUsers(
    app: AppCredentials,
    configured: readonly string[],
    message: OutgoingMessage,
    earlier: readonly RecipientOutcome[] | null,
    signal?: AbortSignal,
  ): Promise<{ verdict: UsersVerdict; recipients: RecipientOutcome[] | null }> {
    const userIds = usersToReach(configured, earlier);
    if (userIds.length === 0) {
      // Everyone has an outcome that another send cannot change (e.g. a resend after everyone got it).
      const recipients = mergeRecipients(configured, earlier, null) ?? [];
      return { verdict: judgeUsers(okSoFar(), recipients, null), recipients };
    }
    const sent = await this.apps.sendWorkNotification(app, userIds, message, signal);
    const recipients = mergeRecipients(configured, earlier, sent.recipients);
    if (sent.recipients === null) return { verdict: judgeUsers(sent.outcome, [], null), recipients };
    return {
      verdict: judgeUsers(sent.outcome, recipients ?? [], sent.unconfirmedBecause),
      recipients,
    };
  }
}

/** The users' standing when no call was made for them now: as their recorded outcomes say. */
function okSoFar(): DingTalkOutcome {
  return { kind: 'ok', httpStatus: null, errcode: 0, errmsg: 'ok', hint: null, latencyMs: 0 };
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

const CARD_HINTS = {
  noTemplate:
    "The bot has no card template: set card_template_id to the template's id from DingTalk's card platform (docs/dingtalk/cards/README.md), then resend.",
  noGroup:
    "An interactive card goes to the bot's group, and this bot has none: set open_conversation_id (or write 绑定 to the bot in the kitchen group), then resend.",
} as const;

/**
 * A card this bot cannot send as it is set up: failed for good, with what to set. What an earlier attempt left to
 * reach stays so: a resend after the fix goes there only.
 */
function cardRefused(hint: string, remaining: readonly DeliveryTarget[] | null | undefined): SendOutcome {
  return {
    ...outcome('permanent', null, null, 'Cannot send an interactive card through this bot', hint),
    remainingTargets: remaining ? [...remaining] : null,
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
