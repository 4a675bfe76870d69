import { Injectable } from '@nestjs/common';
import { DingTalkOutcome } from '../dingtalk/dingtalk-outcome';
import { OutgoingMessage } from '../dingtalk/outgoing-message';
import { BotWithSecrets } from './bot-fields';

/** What became of a test message: sent (with DingTalk's answer), or held back to keep the bot within its limit. */
export type TestSendResult =
  | { sent: true; outcome: DingTalkOutcome }
  | { sent: false; reason: 'rate_window' | 'throttled' | 'ip_blocked'; retryAt: number };

/** Sends a bot's test message the way every other message of the bot goes: counted in its rate window. */
export interface BotTestSender {
  sendTest(bot: BotWithSecrets, message: OutgoingMessage): Promise<TestSendResult>;
}

/**
 * Where the module that delivers messages registers its BotTestSender at start-up, so that the bots module can
 * offer the test button without depending on delivery (delivery depends on it).
 */
@Injectable()
export class BotTestSenderPort {
  private sender: BotTestSender | undefined;

  register(sender: BotTestSender): void {
    this.sender = sender;
  }

  sendTest(bot: BotWithSecrets, message: OutgoingMessage): Promise<TestSendResult> {
    if (!this.sender) throw new Error('No BotTestSender is registered (is the notify module loaded?)');
    return this.sender.sendTest(bot, message);
  }
}
