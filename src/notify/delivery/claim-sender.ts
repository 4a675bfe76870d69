import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { AppConfig } from '../../config/app-config';
import { BotWithSecrets } from '../../dingtalk-bot/bot-fields';
import { OutgoingMessage } from '../../dingtalk/outgoing-message';
import { SendOutcome } from '../../dingtalk-bot/bot-sender';
import { BotSenderRegistry } from '../senders/bot-sender.registry';
import { DeliveryMetrics } from './delivery-metrics';
import { ClaimedNotification, SendResult } from './queue/claimed-notification';
import { judgeAttempt, judgeOnlyAttempt, RetryPolicy } from './retry-policy';

/**
 * The most DingTalk deadlines one send can take (app-messaging.client.ts, card.client.ts): a stream bot's users and
 * group, each a token fetch and a call, both once more after a refused token (8); the work notification's
 * getsendresult polls, which take one deadline together, with a token fetch of their own (2); and, when the group
 * gets a card (its users the plain rendition), a creation refused as existing followed by a delivery of that card,
 * a token fetch and a call once more after a refused token (4).
 */
const MAX_CALLS_PER_SEND = 14;

/** How long a send can take at most, by its DingTalk deadlines. */
export function longestSendMs(config: AppConfig): number {
  return MAX_CALLS_PER_SEND * config.dingtalk.timeoutMs + 5_000;
}

/**
 * The one send path: a claimed notification sent to its bot through the sender registry, outside any transaction,
 * and the verdict on the outcome (the retry rules, retry-policy.ts), as a result to record. The dispatcher's sends
 * (SendAttempts, after its checks on the bot) and the test button's (test-send.service.ts) go through it.
 */
@Injectable()
export class ClaimSender {
  private readonly logger = new Logger('NotificationDispatcher');
  private readonly retryPolicy: RetryPolicy;

  constructor(
    private readonly senders: BotSenderRegistry,
    private readonly metrics: DeliveryMetrics,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.retryPolicy = {
      ...config.delivery,
      ipBlockPauseMs: config.dingtalk.ipBlockPauseMs,
      maxRetryAfterMs: config.dingtalk.maxRetryAfterMs,
    };
  }

  /**
   * The send of `claimed` to `bot` (`signal` stops it) and the verdict on its outcome (a test message is tried once:
   * judgeOnlyAttempt); its result, to be recorded.
   */
  async send(bot: BotWithSecrets, claimed: ClaimedNotification, signal: AbortSignal): Promise<SendResult> {
    this.logger.debug(
      `Sending notification ${claimed.id} to bot ${bot.id} (${bot.botType}), attempt ${claimed.attempts + 1}`,
    );
    const startedAt = this.clock.now();
    const outcome = await this.sendThrough(bot, claimed, signal);
    const finishedAt = this.clock.now();
    const verdict =
      claimed.kind === 'test'
        ? judgeOnlyAttempt(outcome, this.retryPolicy, finishedAt)
        : judgeAttempt(outcome, claimed.attempts, this.retryPolicy, finishedAt);
    this.metrics.recordAttempt(bot.botType, claimed.kind, outcome);
    const line = `Notification ${claimed.id} to bot ${bot.id}: ${outcome.kind}, now ${verdict.status}`;
    // An ok with a hint is a work notification some users did not get (work-notification-recipients.ts).
    if (outcome.kind === 'ok' && outcome.hint === null) this.logger.debug(line);
    else this.logger.warn(`${line} (${outcome.errcode ?? '-'} ${outcome.errmsg})`);
    return { claimed, startedAt, finishedAt, outcome, verdict };
  }

  private async sendThrough(
    bot: BotWithSecrets,
    notification: ClaimedNotification,
    signal: AbortSignal,
  ): Promise<SendOutcome> {
    const message: OutgoingMessage = {
      msgType: notification.msgType,
      title: notification.title,
      text: notification.content,
      atMobiles: notification.atMobiles,
      atUserIds: notification.atUserIds,
      atAll: notification.atAll,
      // A card's id at DingTalk: the notification's, the same on every attempt (docs/dingtalk/cards.md).
      outTrackId: `notification-${notification.id}`,
    };
    const started = performance.now();
    try {
      return await this.senders
        .senderFor(bot.botType)
        .send(bot, message, signal, notification.remainingTargets, notification.recipients);
    } catch (error) {
      // A sender refuses a bot whose settings cannot work (e.g. a work notification without agent_id).
      return {
        kind: 'permanent',
        httpStatus: null,
        errcode: null,
        errmsg: (error as Error).message,
        hint: `The service could not send through this bot: ${(error as Error).message}. Check the bot's settings.`,
        latencyMs: Math.round(performance.now() - started),
        remainingTargets: notification.remainingTargets,
      };
    }
  }
}
