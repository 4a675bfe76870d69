import { Port, port } from '../common/port';
import { DingTalkOutcome } from '../dingtalk/dingtalk-outcome';
import { BotWithSecrets } from './bot-fields';

/** What became of a test message: sent (with DingTalk's answer), or held back to keep the bot within its limit. */
export type TestSendResult =
  | { sent: true; outcome: DingTalkOutcome }
  | { sent: false; reason: 'rate_window' | 'throttled' | 'ip_blocked'; retryAt: number };

/**
 * Sends a bot's test message the way every other message of the bot goes: counted in its rate window. The message
 * is written where every message the service sends is (notify/messages/test-message.ts).
 */
export interface BotTestSender {
  sendTest(bot: BotWithSecrets): Promise<TestSendResult>;
}

/**
 * A port this module declares, so that it can offer the test button without depending on delivery (delivery depends
 * on it): implemented by notify's TestSendService and bound in src/composition.module.ts.
 */
export const BOT_TEST_SENDER: Port<BotTestSender> = port<BotTestSender>('BotTestSender');
