import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../../common/clock';
import { AppConfig } from '../../../config/app-config';
import { BotWithSecrets } from '../../../dingtalk-bot/bot-fields';
import { OutgoingMessage } from '../../../dingtalk/outgoing-message';
import { SendOutcome } from '../../../dingtalk-bot/bot-sender';
import { BotSenderRegistry } from '../../senders/bot-sender.registry';
import { BotCredentialsCache } from '../bot-credentials.cache';
import { DeliveryMetrics } from '../delivery-metrics';
import { ClaimedNotification, SendResult } from '../queue/claimed-notification';
import { judgeAttempt, RetryPolicy } from '../retry-policy';

/**
 * The send of one claim, outside any transaction: the bot's credentials (cached by version), the checks that it may
 * still receive this notification, the send through the sender registry, and the verdict on the outcome (the retry
 * rules, retry-policy.ts). Its result waits for the dispatcher's next round to be recorded.
 */
@Injectable()
export class SendAttempts {
  private readonly logger = new Logger('NotificationDispatcher');
  private readonly retryPolicy: RetryPolicy;

  constructor(
    private readonly credentials: BotCredentialsCache,
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
   * The send of `claimed`: its result; `unstarted` when it never reached DingTalk and its claim should be given back
   * (the bot was deleted, disabled or moved meanwhile: the next claim skips the row with a hint; or the service is
   * stopping, `stopping()`); null when it failed on the way (the lease runs out and the row is claimed again).
   * `signal` stops it (its lease lost, or about to run out unrenewed).
   */
  async attempt(
    claimed: ClaimedNotification,
    signal: AbortSignal,
    stopping: () => boolean,
  ): Promise<SendResult | 'unstarted' | null> {
    try {
      const bot = await this.credentials.get(claimed.botId, claimed.botVersion);
      if (!bot || stopping()) return 'unstarted';
      if (!bot.isEnabled) {
        // Disabled after the claim read it: nothing may reach it. The claim is given back and the next claim skips
        // the row with a hint.
        this.logger.warn(`Notification ${claimed.id} not sent: bot ${bot.id} was disabled`);
        return 'unstarted';
      }
      if (bot.storeId !== claimed.storeId) {
        // Moved to another store after the claim read it: its new destination is not this store's. Not sent; the
        // claim is given back and the next claim skips the row with a hint.
        this.logger.warn(
          `Notification ${claimed.id} of store ${claimed.storeId} not sent: bot ${bot.id} is now in store ${bot.storeId}`,
        );
        return 'unstarted';
      }
      // From here on the send is finished and recorded, never given back unsent.
      this.logger.debug(
        `Sending notification ${claimed.id} to bot ${bot.id} (${bot.botType}), attempt ${claimed.attempts + 1}`,
      );
      const startedAt = this.clock.now();
      const outcome = await this.send(bot, claimed, signal);
      const finishedAt = this.clock.now();
      const verdict = judgeAttempt(outcome, claimed.attempts, this.retryPolicy, finishedAt);
      this.metrics.recordAttempt(bot.botType, claimed.kind, outcome);
      const line = `Notification ${claimed.id} to bot ${bot.id}: ${outcome.kind}, now ${verdict.status}`;
      // An ok with a hint is a work notification some users did not get (work-notification-recipients.ts).
      if (outcome.kind === 'ok' && outcome.hint === null) this.logger.debug(line);
      else this.logger.warn(`${line} (${outcome.errcode ?? '-'} ${outcome.errmsg})`);
      return { claimed, startedAt, finishedAt, outcome, verdict };
    } catch (error) {
      // The lease runs out and the notification is claimed again; nothing is lost.
      this.logger.error(`Delivering notification ${claimed.id} failed: ${(error as Error).message}`);
      return null;
    }
  }

  private async send(
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
