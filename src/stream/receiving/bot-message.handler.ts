import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { AppConfig } from '../../config/app-config';
import { DingTalkAppService } from '../../dingtalk-app/dingtalk-app.service';
import { BotWithSecrets } from '../../dingtalk-bot/bot-fields';
import { DingTalkBotService } from '../../dingtalk-bot/dingtalk-bot.service';
import { AppCredentials } from '../../dingtalk/app-credentials';
import { OutgoingMessage } from '../../dingtalk/outgoing-message';
import { InFlightCallbacks } from './in-flight-callbacks';
import { StreamCallback, StreamCallbackHandler } from '../stream-callback';
import { parseBotCommand } from './bot-command';
import { BotCommands, CommandResult } from './bot-commands';
import { BotMessage, parseBotMessage } from './bot-message';
import { BotReplier } from './bot-replier';
import {
  failedReply,
  groupBotDisabledReply,
  groupNotLinkedReply,
  senderNotBoundReply,
} from '../../notify/messages/bot-replies';
import { MessageRouter, Route } from './message-router';
import { ReceivedMessageRepository } from './received-message.repository';
import { RoutingRepository } from './routing.repository';

/** Topic of the CALLBACK frames that carry bot messages (docs/dingtalk/stream-mode.md). */
export const TOPIC_BOT_MESSAGE = '/v1.0/im/bot/messages/get';

/**
 * What happens when staff write to an app's robot. The app's connection has ACKed the frame already; here the
 * message is routed to its store's bot (MessageRouter), stored once per msgId, its command run, and the answer sent
 * into its conversation. A message no store's bot takes is stored too (a redelivery is not answered twice) and
 * answered with what to do: a group nobody linked at most once a day, a sender not bound to a store each time.
 * Nothing thrown here reaches the connection: a bad message is logged and dropped.
 */
@Injectable()
export class BotMessageHandler implements StreamCallbackHandler, BeforeApplicationShutdown {
  private readonly logger = new Logger(BotMessageHandler.name);
  /** Messages being handled: shutdown lets them finish before the database closes. */
  private readonly inFlight = new InFlightCallbacks(this.logger, 'Bot message');

  constructor(
    private readonly bots: DingTalkBotService,
    private readonly apps: DingTalkAppService,
    private readonly router: MessageRouter,
    private readonly routing: RoutingRepository,
    private readonly received: ReceivedMessageRepository,
    private readonly commands: BotCommands,
    private readonly replier: BotReplier,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  handle(callback: StreamCallback): Promise<void> {
    return this.inFlight.run(callback, this.process(callback));
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.inFlight.settled();
  }

  private async process(callback: StreamCallback): Promise<void> {
    const at = `app_id=${callback.appId} message_id=${callback.messageId}`;
    if (callback.topic !== TOPIC_BOT_MESSAGE) {
      this.logger.debug(`Ignored stream callback topic=${callback.topic} ${at}`);
      return;
    }
    const parsed = parseBotMessage(callback.data);
    if (!parsed.ok) {
      this.logger.warn(`Ignored a malformed bot message ${at}: ${parsed.problem}`);
      return;
    }
    const message = parsed.message;
    const route = await this.router.route(callback.appId, message);
    if (route.kind === 'no_bot') {
      this.logger.warn(
        `Ignored a bot message to an app without an enabled bot ${at} msg_id=${message.msgId}`,
      );
      return;
    }
    if (route.kind !== 'bot') return this.answerUnrouted(callback, message, route);
    const bot = await this.bots.findWithSecrets(route.bot.id);
    if (!bot) {
      this.logger.warn(
        `Ignored a bot message for a bot that is gone bot_id=${route.bot.id} msg_id=${message.msgId}`,
      );
      return;
    }
    await this.handleForBot(callback, bot, message);
  }

  private async handleForBot(
    callback: StreamCallback,
    bot: BotWithSecrets,
    message: BotMessage,
  ): Promise<void> {
    const command = parseBotCommand(message.text);
    const claimed = await this.received.claim({ robotCode: callback.clientId, bot }, message, command.kind);
    if (claimed === null) {
      this.logger.log(`Duplicate bot message ignored bot_id=${bot.id} msg_id=${message.msgId}`);
      return;
    }

    let result: CommandResult;
    try {
      result = await this.commands.run(command, bot, message, claimed, callback.appId);
    } catch (error) {
      this.logger.error(
        `Bot command failed bot_id=${bot.id} msg_id=${message.msgId} command=${command.kind}: ${(error as Error).message}`,
      );
      result = { outcome: 'failed', reply: failedReply(), menuReportId: null };
    }
    const reply = await this.replier.reply(bot.app, message, result.reply);
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

  /**
   * A message no store's bot takes: stored once, and answered with what to do. A group nobody linked, or whose bot is
   * switched off, hears it at most once a day (shared by the instances), so a busy group is not flooded with the same
   * line.
   */
  private async answerUnrouted(
    callback: StreamCallback,
    message: BotMessage,
    route: Extract<Route, { kind: 'unlinked_group' | 'disabled_group' | 'unbound_sender' }>,
  ): Promise<void> {
    const command = parseBotCommand(message.text);
    const claimed = await this.received.claim(
      { robotCode: callback.clientId, bot: null },
      message,
      command.kind,
    );
    if (claimed === null) {
      this.logger.log(`Duplicate bot message ignored app_id=${callback.appId} msg_id=${message.msgId}`);
      return;
    }
    let outcome: string;
    let answer: OutgoingMessage | null;
    if (route.kind === 'unlinked_group') {
      const tell = await this.routing.firstNoticeToday(
        callback.appId,
        route.conversationId,
        this.clock.now(),
        this.config.reportTimeZone,
      );
      outcome = tell ? 'group_not_linked' : 'group_not_linked_quiet';
      answer = tell ? groupNotLinkedReply(route.conversationId) : null;
    } else if (route.kind === 'disabled_group') {
      const tell = await this.routing.firstNoticeToday(
        callback.appId,
        route.conversationId,
        this.clock.now(),
        this.config.reportTimeZone,
      );
      outcome = tell ? 'group_bot_disabled' : 'group_bot_disabled_quiet';
      answer = tell ? groupBotDisabledReply() : null;
    } else {
      outcome = 'sender_not_bound';
      answer = senderNotBoundReply();
    }
    const reply = answer
      ? await this.replier.reply(await this.appCredentials(callback.appId), message, answer)
      : { via: 'none' as const, error: null, recipients: null };
    await this.received.finish(claimed.id, {
      outcome,
      menuReportId: null,
      replyVia: reply.via,
      replyError: reply.error,
      replyRecipients: reply.recipients,
    });
    this.logger.log(
      `Bot message for no store app_id=${callback.appId} msg_id=${message.msgId} outcome=${outcome} reply_via=${reply.via}`,
    );
  }

  private async appCredentials(appId: number): Promise<AppCredentials | null> {
    const app = await this.apps.find(appId);
    return app && this.apps.credentials(app);
  }
}
