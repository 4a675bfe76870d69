import { Module } from '@nestjs/common';
import { StreamModule } from '../stream/stream.module';
import { DatabaseProbe } from './database.probe';
import { HealthController } from './health.controller';

@Module({
  imports: [StreamModule],
  controllers: [HealthController],
  providers: [DatabaseProbe],
})
export class HealthModule {}
