import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { botKind } from '../../dingtalk-bot/bot-kinds';
import { DingTalkBotService } from '../../dingtalk-bot/dingtalk-bot.service';
import { StreamCallback, StreamCallbackHandler } from '../stream-callback';
import { parseBotCommand } from './bot-command';
import { BotCommands, CommandResult } from './bot-commands';
import { parseBotMessage } from './bot-message';
import { BotReplier } from './bot-replier';
import { failedReply } from '../../notify/messages/bot-replies';
import { ReceivedMessageRepository } from './received-message.repository';

/** Topic of the CALLBACK frames that carry bot messages (docs/dingtalk/stream-mode.md). */
export const TOPIC_BOT_MESSAGE = '/v1.0/im/bot/messages/get';

/**
 * What happens when staff write to a stream bot. The connection has ACKed the frame already; here the
 * message is stored once per msgId, its command run, and the answer sent into its conversation. Nothing thrown
 * here reaches the connection: a bad message is logged and dropped.
 */
@Injectable()
export class BotMessageHandler implements StreamCallbackHandler, BeforeApplicationShutdown {
  private readonly logger = new Logger(BotMessageHandler.name);
  /** Messages being handled: shutdown lets them finish (their reply is on its way) before the database closes. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly bots: DingTalkBotService,
    private readonly received: ReceivedMessageRepository,
    private readonly commands: BotCommands,
    private readonly replier: BotReplier,
  ) {}

  async handle(callback: StreamCallback): Promise<void> {
    const work = this.process(callback).catch((error: unknown) => {
      this.logger.error(
        `Bot message not handled bot_id=${callback.botId} message_id=${callback.messageId}: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
    this.inFlight.add(work);
    try {
      await work;
    } finally {
      this.inFlight.delete(work);
    }
  }

  /** Each handling is bounded (DingTalk calls have deadlines), so waiting for them cannot hang the shutdown. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  private async process(callback: StreamCallback): Promise<void> {
    if (callback.topic !== TOPIC_BOT_MESSAGE) {
      this.logger.debug(`Ignored stream callback topic=${callback.topic} bot_id=${callback.botId}`);
      return;
    }
    const parsed = parseBotMessage(callback.data);
    if (!parsed.ok) {
      this.logger.warn(
        `Ignored a malformed bot message bot_id=${callback.botId} message_id=${callback.messageId}: ${parsed.problem}`,
      );
      return;
    }
    const message = parsed.message;
    const bot = await this.bots.findWithSecrets(callback.botId);
    if (!bot || !botKind(bot.botType).connection) {
      this.logger.warn(
        `Ignored a bot message for a bot that is gone bot_id=${callback.botId} msg_id=${message.msgId}`,
      );
      return;
    }
    const command = parseBotCommand(message.text);
    const claimed = await this.received.claim(bot, message, command.kind);
    if (claimed === null) {
      this.logger.log(`Duplicate bot message ignored bot_id=${bot.id} msg_id=${message.msgId}`);
      return;
    }

    let result: CommandResult;
    try {
      result = await this.commands.run(command, bot, message, claimed);
    } catch (error) {
      this.logger.error(
        `Bot command failed bot_id=${bot.id} msg_id=${message.msgId} command=${command.kind}: ${(error as Error).message}`,
      );
      result = { outcome: 'failed', reply: failedReply(), menuReportId: null };
    }
    const reply = await this.replier.reply(bot, message, result.reply);
    await this.received.finish(claimed.id, {
      outcome: result.outcome,
      menuReportId: result.menuReportId,
      replyVia: reply.via,
      replyError: reply.error,
      replyRecipients: reply.recipients,
    });
    const line =
      `Bot message handled bot_id=${bot.id} store_id=${bot.storeId} msg_id=${message.msgId} ` +
      `command=${command.kind} outcome=${result.outcome} reply_via=${reply.via}` +
      (result.menuReportId !== null ? ` menu_report_id=${result.menuReportId}` : '');
    if (reply.error) this.logger.warn(`${line} reply_error=${reply.error}`);
    else this.logger.log(line);
  }
}
