import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { MenuReport } from './entities/menu-report.entity';
import { MenuReportController } from './menu-report.controller';
import { MenuReportService } from './menu-report.service';
import { ReportNotificationsPort } from './report-notifications.port';

@Module({
  imports: [TypeOrmModule.forFeature([MenuReport]), IdempotencyModule],
  controllers: [MenuReportController],
  providers: [MenuReportService, ReportNotificationsPort],
  exports: [MenuReportService, ReportNotificationsPort],
})
export class MenuReportModule {}
