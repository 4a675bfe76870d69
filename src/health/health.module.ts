import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { StreamModule } from '../stream/stream.module';
import { HealthController } from './health.controller';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), StreamModule],
  controllers: [HealthController],
})
export class HealthModule {}
