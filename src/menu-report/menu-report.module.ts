import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotifyModule } from '../notify/notify.module';
import { MenuReport } from './entities/menu-report.entity';
import { MenuReportController } from './menu-report.controller';
import { MenuReportService } from './menu-report.service';

@Module({
  imports: [TypeOrmModule.forFeature([MenuReport]), NotifyModule],
  controllers: [MenuReportController],
  providers: [MenuReportService],
  exports: [MenuReportService],
})
export class MenuReportModule {}
