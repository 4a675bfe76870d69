import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { AppConfig } from '../../config/app-config';
import { BotWithSecrets } from '../../dingtalk-bot/bot-fields';
import { botMentions } from '../../dingtalk-bot/bot-kinds';
import { BotTestSender, TestSendResult } from '../../dingtalk-bot/bot-test-sender';
import { testMessage } from '../messages/test-message';
import { BotSenderRegistry } from '../senders/bot-sender.registry';
import { DeliveryMetrics } from './delivery-metrics';
import { RateWindowRepository } from './queue/rate-window.repository';
import { pauseFor } from './retry-policy';

/**
 * The bots' test button, through the same robot rate window and throttle pauses as the queue: a few clicks on a busy
 * robot (also one that another bot shares) must not push it over DingTalk's limit (and into a 10-minute ban). A
 * throttled answer pauses the robot (or app) for the queue too. The bots module's BotTestSender port, bound in
 * src/composition.module.ts.
 */
@Injectable()
export class TestSendService implements BotTestSender {
  constructor(
    private readonly windows: RateWindowRepository,
    private readonly senders: BotSenderRegistry,
    private readonly metrics: DeliveryMetrics,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async sendTest(bot: BotWithSecrets): Promise<TestSendResult> {
    const message = testMessage(bot, new Date(this.clock.now()));
    const reservation = await this.windows.reserveSend(bot.id);
    if (!reservation.granted)
      return { sent: false, reason: reservation.reason, retryAt: reservation.retryAt };
    // With the bot's own mentions, as its notifications carry them (bot-notifications.ts).
    const outcome = await this.senders.senderFor(bot.botType).send(bot, { ...botMentions(bot), ...message });
    this.metrics.recordAttempt(bot.botType, 'test', outcome);
    if (outcome.kind === 'throttled') {
      const pause = pauseFor(outcome, { ...this.config.delivery, ...this.config.dingtalk }, this.clock.now());
      await this.windows.pauseFor(bot.id, pause, outcome.hint);
    }
    return { sent: true, outcome };
  }
}
