import { Injectable } from '@nestjs/common';
import { AuthUser } from '../../auth/auth-user';
import { Clock } from '../../common/clock';
import { AppConfig } from '../../config/app-config';
import { BotWithSecrets } from '../../dingtalk-bot/bot-fields';
import { DingTalkBotService } from '../../dingtalk-bot/dingtalk-bot.service';
import { OutgoingMessage } from '../../dingtalk/outgoing-message';
import { MenuReportService } from '../../menu-report/menu-report.service';
import { BotCommand } from './bot-command';
import { BotMessage } from './bot-message';
import { ClaimedMessage, ReceivedMessageRepository } from './received-message.repository';
import {
  alreadyBoundReply,
  bindNeedsGroupReply,
  boundElsewhereReply,
  boundReply,
  groupTakenReply,
  botGoneReply,
  helpReply,
  invalidReportReply,
  reportCreatedReply,
  senderBoundLine,
  todayReply,
} from '../../notify/messages/bot-replies';
import { RoutingRepository } from './routing.repository';

export interface CommandResult {
  outcome: string;
  reply: OutgoingMessage;
  menuReportId: number | null;
}

/** Runs what staff asked for through the same services the HTTP API uses. */
@Injectable()
export class BotCommands {
  constructor(
    private readonly reports: MenuReportService,
    private readonly received: ReceivedMessageRepository,
    private readonly bots: DingTalkBotService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly routing: RoutingRepository,
  ) {}

  /** `appId`: the app the message came to (a sender binds themselves to a store of that app). */
  async run(
    command: BotCommand,
    bot: BotWithSecrets,
    message: BotMessage,
    claimed: ClaimedMessage,
    appId: number,
  ): Promise<CommandResult> {
    switch (command.kind) {
      case 'report':
        return this.report(command, bot, message, claimed);
      case 'report_invalid':
        return result('invalid_report', invalidReportReply(command.problem));
      case 'today':
        return this.today(bot);
      case 'bind':
        return this.bind(bot, message, appId);
      case 'help':
        return result('help', helpReply());
    }
  }

  /**
   * The report goes through MenuReportService like one from the API, so its notifications are planned in the same
   * transaction and delivered as usual. The caller acts as a store admin of the bot's store and nothing more.
   */
  private async report(
    command: Extract<BotCommand, { kind: 'report' }>,
    bot: BotWithSecrets,
    message: BotMessage,
    claimed: ClaimedMessage,
  ): Promise<CommandResult> {
    const reporter = message.senderNick ?? message.senderStaffId ?? 'DingTalk';
    const caller: AuthUser = {
      sub: `dingtalk:${message.senderStaffId ?? 'unknown'}`,
      role: 'store_admin',
      storeIds: [bot.storeId],
    };
    if (claimed.menuReportId !== null) {
      // Taken over from a handler that died after the report was committed: confirm it, do not report twice.
      const existing = await this.reports.get(caller, claimed.menuReportId);
      return { outcome: 'report_created', menuReportId: existing.id, reply: reportCreatedReply(existing) };
    }
    const created = await this.reports.create(
      caller,
      {
        store_id: bot.storeId,
        dish_name: command.dishName,
        quantity: command.quantity,
        unit: command.unit,
        remark: command.remark,
      },
      {
        source: 'dingtalk',
        reportedBy: reporter,
        inTransaction: (manager, report) => this.received.markReported(manager, claimed.id, report.id),
      },
    );
    return {
      outcome: 'report_created',
      menuReportId: created.id,
      reply: reportCreatedReply(created),
    };
  }

  private async today(bot: BotWithSecrets): Promise<CommandResult> {
    const now = new Date(this.clock.now());
    const reports = await this.reports.today(bot.storeId, now);
    return result('today_listed', todayReply(bot.storeId, reports, now, this.config.reportTimeZone));
  }

  /**
   * Only a group can be bound: for a group, DingTalk's conversationId is its openConversationId
   * (docs/dingtalk/stream-mode.md). The group becomes the bot's if it has none; and once the group is the bot's, the
   * sender is bound to its store: their one-to-one messages to the app go there (an app serves many stores).
   */
  private async bind(bot: BotWithSecrets, message: BotMessage, appId: number): Promise<CommandResult> {
    if (message.conversationType !== '2' || !message.conversationId) {
      return result('not_in_group', bindNeedsGroupReply());
    }
    const outcome = await this.bots.bindConversation(bot.id, message.conversationId);
    const bindSender = async (reply: OutgoingMessage): Promise<OutgoingMessage> => {
      if (!message.senderStaffId) return reply;
      await this.routing.bind(appId, message.senderStaffId, bot.storeId, this.clock.now());
      return { ...reply, text: `${reply.text}\n${senderBoundLine(bot.storeId)}` };
    };
    switch (outcome) {
      case 'bound':
        return result('bound', await bindSender(boundReply(bot.storeId)));
      case 'already_bound':
        return result('already_bound', await bindSender(alreadyBoundReply()));
      case 'bound_elsewhere':
        return result('bound_elsewhere', boundElsewhereReply());
      case 'group_taken':
        // Another store's bot of this app has the group: neither the group nor the sender moves.
        return result('group_taken', groupTakenReply());
      case 'not_found':
        return result('bot_gone', botGoneReply());
    }
  }
}

function result(outcome: string, reply: OutgoingMessage): CommandResult {
  return { outcome, reply, menuReportId: null };
}
