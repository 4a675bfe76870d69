import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { MenuReport } from './entities/menu-report.entity';
import { MenuReportController } from './menu-report.controller';
import { MenuReportRepository } from './menu-report.repository';
import { MenuReportService } from './menu-report.service';

@Module({
  imports: [TypeOrmModule.forFeature([MenuReport]), IdempotencyModule],
  controllers: [MenuReportController],
  providers: [MenuReportService, MenuReportRepository],
  exports: [MenuReportService, MenuReportRepository],
})
export class MenuReportModule {}
