import { DynamicModule, Module } from '@nestjs/common';
import { Logger } from 'pino';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { AuthModule } from './auth/auth.module';
import { BotHealthModule } from './bot-health/bot-health.module';
import { Clock } from './common/clock';
import { ClockModule } from './common/clock.module';
import { SchedulingModule } from './common/scheduling/scheduling.module';
import { GlobalExceptionFilter } from './common/http/global-exception.filter';
import { createValidationPipe } from './common/http/validation.pipe';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { ConsoleModule } from './console/console.module';
import { CompositionModule } from './composition.module';
import { DatabaseConnection } from './database/data-source-options';
import { DatabaseModule } from './database/database.module';
import { DailySummaryModule } from './daily-summary/daily-summary.module';
import { DingTalkAppModule } from './dingtalk-app/dingtalk-app.module';
import { DingTalkBotModule } from './dingtalk-bot/dingtalk-bot.module';
import { EventsModule } from './events/events.module';
import { KitchenConfirmationModule } from './kitchen-confirmation/kitchen-confirmation.module';
import { MenuReportModule } from './menu-report/menu-report.module';
import { MessageTemplateModule } from './message-template/message-template.module';
import { NotifyModule } from './notify/notify.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { RetentionModule } from './retention/retention.module';
import { ReceivingModule } from './stream/receiving/receiving.module';
import { SecretBox } from './common/crypto/secret-box';
import { StreamModule } from './stream/stream.module';
import { StoreOverviewModule } from './store-overview/store-overview.module';

export interface AppModuleOptions {
  config: AppConfig;
  database: DatabaseConnection;
  /** The process's logger (create-logger.ts), for TypeORM's lines. Default: TypeORM logs nothing. */
  logger?: Logger;
  /** Default: the system clock. Tests pass one they control. */
  clock?: Clock;
}

@Module({})
export class AppModule {
  static forRoot({ config, database, logger, clock }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        ClockModule.forRoot(clock),
        SchedulingModule,
        DatabaseModule.forRoot(database, logger, (sealed) => new SecretBox(config).open(sealed)),
        EventEmitterModule.forRoot(),
        EventsModule,
        AuthModule,
        MetricsModule,
        HealthModule,
        StreamModule,
        MessageTemplateModule,
        DingTalkAppModule,
        DingTalkBotModule,
        NotifyModule,
        MenuReportModule,
        ReceivingModule,
        RetentionModule,
        DailySummaryModule,
        BotHealthModule,
        KitchenConfirmationModule,
        StoreOverviewModule,
        ConsoleModule,
        CompositionModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: GlobalExceptionFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
