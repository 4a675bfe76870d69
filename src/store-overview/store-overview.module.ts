import { Module } from '@nestjs/common';
import { StoreOverviewController } from './store-overview.controller';
import { StoreOverviewService } from './store-overview.service';

/** `GET /stores`: the stores at a glance. Its sources are ports (store-sources.ts) bound in composition.module.ts. */
@Module({
  controllers: [StoreOverviewController],
  providers: [StoreOverviewService],
})
export class StoreOverviewModule {}
