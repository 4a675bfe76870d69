import { Global, Module } from '@nestjs/common';
import { ALERT_BOTS } from './bot-health/alerts/alert-bots';
import { BotHealthModule } from './bot-health/bot-health.module';
import { BotHealthRepository } from './bot-health/bot-health.repository';
import { BotHealthStatusContributor } from './bot-health/bot-health-status.contributor';
import { SendHealthWriter } from './bot-health/send-health.writer';
import { bindPort, bindPorts, PortBinding } from './common/port';
import { SUMMARY_BOTS, SUMMARY_REPORTS, SUMMARY_TEMPLATES } from './daily-summary/summary-sources';
import { BOT_CONNECTIONS } from './dingtalk-bot/bot-connections';
import { BOT_HEALTH_READER } from './dingtalk-bot/bot-health-reader';
import { BOT_STATUS_CONTRIBUTORS } from './dingtalk-bot/bot-status.service';
import { BOT_TEMPLATES } from './dingtalk-bot/bot-templates';
import { BOT_TEST_SENDER } from './dingtalk-bot/bot-test-sender';
import { BotsOfApp } from './dingtalk-bot/bots-of-app';
import { APP_BOTS } from './dingtalk-app/app-bots';
import { DingTalkBotModule } from './dingtalk-bot/dingtalk-bot.module';
import { DingTalkBotRepository } from './dingtalk-bot/dingtalk-bot.repository';
import { ConfirmationRepository } from './kitchen-confirmation/confirmation.repository';
import { KitchenConfirmationModule } from './kitchen-confirmation/kitchen-confirmation.module';
import { MenuReportModule } from './menu-report/menu-report.module';
import { MenuReportRepository } from './menu-report/menu-report.repository';
import { REPORT_CONFIRMATION_READER } from './menu-report/report-confirmations.port';
import { REPORT_NOTIFICATIONS } from './menu-report/report-notifications.port';
import { MessageTemplateModule } from './message-template/message-template.module';
import { MessageTemplateRepository } from './message-template/message-template.repository';
import { DeliveryStatusContributor } from './notify/delivery/delivery-status.contributor';
import { TestSendService } from './notify/delivery/test-send.service';
import { StoreDeliveryCountsRepository } from './notify/notifications/store-delivery-counts.repository';
import { NotifyModule } from './notify/notify.module';
import { REPORT_BOTS } from './notify/report-bots';
import { REPORT_CONFIRMATIONS } from './notify/report-confirmations';
import { SEND_HEALTH } from './notify/send-health';
import { ReportNotifications } from './notify/report-notifications';
import { ReceivingModule } from './stream/receiving/receiving.module';
import { StreamCallbackRouter } from './stream/receiving/stream-callback.router';
import { STREAM_BOTS } from './stream/stream-bots';
import { STREAM_CALLBACKS } from './stream/stream-callback';
import { StreamConnectionService } from './stream/stream-connection.service';
import { StreamStatusContributor } from './stream/stream-status.contributor';
import { StreamModule } from './stream/stream.module';
import { STORE_BOTS, STORE_DELIVERIES } from './store-overview/store-sources';

/** Each port, bound to the provider that implements it (a repository, a service of the module that knows how). */
export const PORT_BINDINGS: PortBinding[] = [
  bindPort(SUMMARY_BOTS, DingTalkBotRepository),
  bindPort(SUMMARY_REPORTS, MenuReportRepository),
  bindPort(SUMMARY_TEMPLATES, MessageTemplateRepository),
  bindPort(STREAM_BOTS, DingTalkBotRepository),
  bindPort(STREAM_CALLBACKS, StreamCallbackRouter),
  bindPort(BOT_TEMPLATES, MessageTemplateRepository),
  bindPort(APP_BOTS, BotsOfApp),
  bindPort(BOT_CONNECTIONS, StreamConnectionService),
  bindPort(BOT_TEST_SENDER, TestSendService),
  bindPort(REPORT_NOTIFICATIONS, ReportNotifications),
  bindPort(REPORT_BOTS, DingTalkBotRepository),
  bindPort(REPORT_CONFIRMATIONS, ConfirmationRepository),
  bindPort(REPORT_CONFIRMATION_READER, ConfirmationRepository),
  bindPort(BOT_HEALTH_READER, BotHealthRepository),
  bindPort(SEND_HEALTH, SendHealthWriter),
  bindPort(ALERT_BOTS, DingTalkBotRepository),
  // A bot's status: its own fields, then the Stream connection's, then delivery's, then its health.
  bindPorts(BOT_STATUS_CONTRIBUTORS, [
    StreamStatusContributor,
    DeliveryStatusContributor,
    BotHealthStatusContributor,
  ]),
  bindPort(STORE_BOTS, DingTalkBotRepository),
  bindPort(STORE_DELIVERIES, StoreDeliveryCountsRepository),
];

/** The modules whose providers implement the ports. */
export const PORT_OWNERS = [
  BotHealthModule,
  DingTalkBotModule,
  KitchenConfirmationModule,
  MenuReportModule,
  MessageTemplateModule,
  NotifyModule,
  ReceivingModule,
  StreamModule,
];

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
