import { Module } from '@nestjs/common';
import { DingTalkBotModule } from '../dingtalk-bot/dingtalk-bot.module';
import { NotifyModule } from '../notify/notify.module';
import { DailySummaryController } from './daily-summary.controller';
import { DailySummaryJob } from './daily-summary.job';
import { DailySummaryRepository } from './daily-summary.repository';
import { DailySummaryService } from './daily-summary.service';

/** Each bot's summary of the day at its `daily_summary_at`, once, through the delivery queue. */
@Module({
  imports: [DingTalkBotModule, NotifyModule],
  controllers: [DailySummaryController],
  providers: [DailySummaryService, DailySummaryRepository, DailySummaryJob],
})
export class DailySummaryModule {}
