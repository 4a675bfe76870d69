import { Global, Module } from '@nestjs/common';
import { bindPort } from './common/port';
import { SUMMARY_BOTS, SUMMARY_REPORTS, SUMMARY_TEMPLATES } from './daily-summary/summary-sources';
import { BOT_CONNECTIONS } from './dingtalk-bot/bot-connections';
import { BOT_TEMPLATES } from './dingtalk-bot/bot-templates';
import { DingTalkBotModule } from './dingtalk-bot/dingtalk-bot.module';
import { DingTalkBotRepository } from './dingtalk-bot/dingtalk-bot.repository';
import { MenuReportModule } from './menu-report/menu-report.module';
import { MenuReportRepository } from './menu-report/menu-report.repository';
import { MessageTemplateModule } from './message-template/message-template.module';
import { MessageTemplateRepository } from './message-template/message-template.repository';
import { STREAM_BOTS } from './stream/stream-bots';
import { StreamConnectionService } from './stream/stream-connection.service';
import { StreamModule } from './stream/stream.module';

/** Each port, bound to the provider that implements it (a repository, or the stream bots' connections). */
export const PORT_BINDINGS = [
  bindPort(SUMMARY_BOTS, DingTalkBotRepository),
  bindPort(SUMMARY_REPORTS, MenuReportRepository),
  bindPort(SUMMARY_TEMPLATES, MessageTemplateRepository),
  bindPort(STREAM_BOTS, DingTalkBotRepository),
  bindPort(BOT_TEMPLATES, MessageTemplateRepository),
  bindPort(BOT_CONNECTIONS, StreamConnectionService),
];

/** The modules whose providers implement the ports. */
export const PORT_OWNERS = [DingTalkBotModule, MenuReportModule, MessageTemplateModule, StreamModule];

/**
 * Where the ports that modules declare (what they need from a table or a capability another module owns) meet
 * the owners' providers that implement them: each port bound once, here. A module using a port nobody binds fails the
 * application's start (Nest cannot resolve its provider), never its first call.
 */
@Global()
@Module({
  imports: PORT_OWNERS,
  providers: PORT_BINDINGS,
  exports: PORT_BINDINGS.map((binding) => binding.provide),
})
export class CompositionModule {}
