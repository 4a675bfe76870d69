import { Injectable, Logger } from '@nestjs/common';
import { BotCredentialsCache } from '../bot-credentials.cache';
import { ClaimSender } from '../claim-sender';
import { ClaimedNotification, SendResult } from '../queue/claimed-notification';

/**
 * The dispatcher's send of one claim, outside any transaction: the bot's credentials (cached by version), the checks
 * that it may still receive this notification, then the one send path (ClaimSender: the sender registry, the
 * verdict on the outcome). Its result waits for the dispatcher's next round to be recorded.
 */
@Injectable()
export class SendAttempts {
  private readonly logger = new Logger('NotificationDispatcher');

  constructor(
    private readonly credentials: BotCredentialsCache,
    private readonly sender: ClaimSender,
  ) {}

  /**
   * A round's claims, before their sends: the credentials the cache lacks for their bots (or holds for another
   * version of a bot's row), read in one statement rather than one per send.
   */
  readCredentialsOf(claims: readonly ClaimedNotification[]): void {
    this.credentials.load(claims);
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
      return await this.sender.send(bot, claimed, signal);
    } catch (error) {
      // The lease runs out and the notification is claimed again; nothing is lost.
      this.logger.error(`Delivering notification ${claimed.id} failed: ${(error as Error).message}`);
      return null;
    }
  }
}
